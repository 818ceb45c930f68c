"""Schemathesis as a partner runs it over openapi/ibanera.json: `schemathesis
run` against a real `fintech-sandbox serve`, every check (no 5xx, status
codes, content types, headers, body schemas, negative data rejected, positive
data accepted, authentication enforced...) and four phases (the document's
examples, coverage, fuzzing, and the stateful phase that follows its links).
tests/ibanera/schemathesis_hooks.py logs in and makes positive cases
business-valid where OpenAPI cannot say it. Bounded here; `make fuzz` runs
100 examples per operation (SANDBOX_FUZZ_EXAMPLES)."""

from __future__ import annotations

from tests import schemathesis_cli

EXAMPLES = 10  # ~20 s on the 2-core machine; make fuzz runs 100


def test_every_check_and_phase_over_our_document_reports_no_failure():
    run = schemathesis_cli.run("ibanera", schemathesis_cli.examples(EXAMPLES))
    run.assert_clean(min_generated=1500)
