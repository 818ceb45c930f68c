"""`fintech-sandbox` and `python -m sandbox`. Ctrl-C is a clean stop from
the first instant: before the CLI (and the providers it imports) has even
loaded, and whatever it is doing then."""

import signal
import sys


def main() -> None:
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    from sandbox.cli import main as cli

    cli()


if __name__ == "__main__":
    main()
