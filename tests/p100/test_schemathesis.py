"""Schemathesis as a partner runs it over openapi/p100.json against a real
`fintech-sandbox serve`: every check (positive_data_acceptance included),
the examples, coverage, fuzzing and stateful phases (tests/schemathesis_cli.py).
Credentials and business-valid positive cases come from
tests/p100/schemathesis_hooks.py; the one narrow exception (the offline
virtual-card module answers 400 to valid data, as documented) is in
tests/p100/schemathesis.toml. Bounded here; `make fuzz` runs 100 examples."""

from __future__ import annotations

from tests import schemathesis_cli

OPERATIONS = 57


def test_schemathesis_finds_nothing_in_any_phase():
    run = schemathesis_cli.run("p100", schemathesis_cli.examples(20))
    run.assert_clean(min_generated=2500)
    assert f"Selected: {OPERATIONS}/{OPERATIONS}" in run.summary, run.summary
