"""`fintech-sandbox` and `python -m sandbox`. Ctrl-C is a clean stop from
the first instant: before the CLI (and the providers it imports) has even
loaded, and whatever it is doing then.

The garbage collector is off until the command's modules are imported
(sandbox.cli): while Flask, marshmallow and the providers are imported it
would run ~160 times, ~0.08 s of start-up, and find next to nothing to free."""

import gc
import signal
import sys


def main() -> None:
    gc.disable()
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    from sandbox.cli import main as cli

    cli()


if __name__ == "__main__":
    main()
