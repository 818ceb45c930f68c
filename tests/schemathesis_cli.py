"""Schemathesis as a partner runs it: `schemathesis run` over a provider's
exported document (openapi/<provider>.json), against a real
`fintech-sandbox serve` this starts on 127.0.0.1, with every check and the
four phases (the document's examples, coverage, fuzzing, and the stateful
phase that follows the document's links).

What OpenAPI cannot say (credentials, ids of records that exist, a value
that must not be taken yet) comes from the provider's hooks module
(tests/<provider>/schemathesis_hooks.py, loaded by schemathesis through
SCHEMATHESIS_HOOKS), which talks to the same server through SANDBOX_URL.
Where a provider's documented behaviour departs from a check's default
expectation, its tests/<provider>/schemathesis.toml says so, with why.

The suite runs a few examples per operation (deterministic, so a run is
repeatable); `make fuzz` runs 100 (SANDBOX_FUZZ_EXAMPLES)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass

from tests.server import ROOT, Server

PHASES = "examples,coverage,fuzzing,stateful"


def examples(default: int) -> int:
    return int(os.environ.get("SANDBOX_FUZZ_EXAMPLES", default))


@dataclass
class Run:
    exit_code: int
    output: str

    @property
    def summary(self) -> str:
        """The run's closing summary, as schemathesis prints it."""
        start = self.output.rfind("SUMMARY")
        return self.output[self.output.rfind("\n", 0, start) + 1:] if start >= 0 else self.output[-3000:]

    @property
    def generated(self) -> int:
        match = re.search(r"(\d+) generated", self.summary)
        return int(match[1]) if match else 0

    def phase(self, name: str) -> str:
        """The summary's line of a phase, e.g. '✅ Stateful (45 scenarios, 120 steps)'."""
        match = re.search(rf"^\s*(\S+ {name}\b.*)$", self.summary, re.MULTILINE)
        return match[1] if match else ""

    def assert_clean(self, min_generated: int) -> None:
        """No failure, each of the four phases passed, the stateful phase
        followed links (scenarios ran, links were covered), and at least
        `min_generated` cases were sent."""
        assert self.exit_code == 0, self.output[-30000:]
        for name in ("Examples", "Coverage", "Fuzzing", "Stateful"):
            assert self.phase(name).startswith("✅"), f"{name}: {self.phase(name)!r}\n{self.summary}"
        stateful = self.output[self.output.find("Stateful (in"):self.output.find("SUMMARY")]
        scenarios = re.search(r"Scenarios:\s+(\d+)", stateful)
        links = re.search(r"API Links:\s+(\d+) covered", stateful)
        assert scenarios and int(scenarios[1]) > 0 and links and int(links[1]) > 0, stateful
        assert self.generated >= min_generated, self.summary


def run(provider: str, max_examples: int, *extra: str, timeout: float = 540) -> Run:
    """Serve the default scenario and run schemathesis over `provider`'s
    document; the output is printed (pytest -s, or `make fuzz`, shows it)."""
    config = ROOT / "tests" / provider / "schemathesis.toml"
    # run in a directory of its own: schemathesis keeps a cache of past failures (.schemathesis/) in its
    # working directory and replays them first, which would make one run depend on the ones before
    with Server() as server, tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "SANDBOX_URL": server.url, "PYTHONPATH": str(ROOT),
               "SCHEMATHESIS_HOOKS": f"tests.{provider}.schemathesis_hooks"}
        command = [sys.executable, "-m", "schemathesis.cli", "--no-color",
                   *(["--config-file", str(config)] if config.exists() else []),
                   "run", str(ROOT / "openapi" / f"{provider}.json"), "--url", f"{server.url}/{provider}",
                   # no --checks: schemathesis 4 runs every check by default, and a `--checks all` on the
                   # command line would override the per-operation settings of the provider's toml
                   "--phases", PHASES, "--max-examples", str(max_examples),
                   "--generation-deterministic", "--workers", "1", "--request-timeout", "10",
                   "--suppress-health-check", "all", *extra]
        finished = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True, timeout=timeout,
                                  check=False)
    result = Run(finished.returncode, finished.stdout + finished.stderr)
    print(f"\nschemathesis openapi/{provider}.json, {max_examples} examples per operation:\n{result.output}")
    return result
