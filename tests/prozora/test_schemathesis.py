"""Schemathesis over openapi/prozora.json as a partner runs it: `schemathesis
run` with every check (no 5xx, status codes, content types, response
schemas, negative data rejected, positive data accepted, authentication
enforced, ...) and the four phases (the document's examples, coverage,
fuzzing, and the stateful phase that follows the document's links), against
a real `fintech-sandbox serve` on the default scenario.

Credentials and what OpenAPI cannot say (the caller's own counterparty, a
customer that exists, an asset of the counterparty, a login and an IBAN not
yet taken) come from tests/prozora/schemathesis_hooks.py. Bounded here (a few
examples per operation, deterministic); `make fuzz` runs 100."""

from __future__ import annotations

from tests import schemathesis_cli

EXAMPLES = schemathesis_cli.examples(25)


def test_schemathesis_finds_no_failure_and_the_stateful_phase_runs():
    run = schemathesis_cli.run("prozora", EXAMPLES)
    # every phase generated its share: coverage makes ~850 cases whatever the count, fuzzing and
    # stateful several per example (1139 at 25 examples, 2015 at 100)
    run.assert_clean(min_generated=800 + 5 * EXAMPLES)
    assert "No issues found" in run.summary, run.summary
