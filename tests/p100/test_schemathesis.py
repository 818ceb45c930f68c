"""Schemathesis over the exported openapi/p100.json against a real
`fintech-sandbox serve` on 127.0.0.1: no 5xx, and every answer (status,
content type, body) conforms to our own document. Bounded: a few derandomized
examples per operation."""

from __future__ import annotations

import os

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.p100.client import KEY
from tests.server import Server

DOCUMENT = Path(__file__).resolve().parents[2] / "openapi" / "p100.json"
EXAMPLES = int(os.environ.get("SANDBOX_FUZZ_EXAMPLES", "25"))  # `make fuzz` runs many more
# P100 answers business refusals of well-formed requests with 400 (documented: P412 "User does not exist",
# P433 ...), so "a schema-valid request must not get a 400" does not hold for this API.
NOT_FOR_P100 = [positive_data_acceptance]


def base_path(operation) -> str:
    """Control operations name their own server (/_sandbox/p100) in the document."""
    servers = operation.definition.raw.get("servers")
    return servers[0]["url"] if servers else "/p100"


def test_schemathesis_finds_no_5xx_and_no_answer_outside_the_document():
    schema = schemathesis.openapi.from_path(DOCUMENT)
    # valid requests and invalid ones (wrong types, missing fields): neither may get a 5xx
    schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
    failures: list[str] = []
    with Server() as server:
        # a user of the caller's own, so generated calls that name "alice" get past P412 sometimes
        server.request("POST", "/p100/v1/user/balances/crypto-and-fiat", {
            "externalUserId": "alice", "email": "alice@example.pl", "firstName": "A", "lastName": "B",
            "country": "PL", "citizenship": "PL", "hasAcceptedP100Tc": True}, headers={"x-api-key": KEY})
        operations = [result.ok() for result in schema.get_all_operations()]
        for operation in operations:
            url = server.url + base_path(operation)

            @given(case=operation.as_strategy(), real_user=st.booleans())
            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(case, real_user):
                if real_user and "external_user_id" in (case.path_parameters or {}):
                    case.path_parameters["external_user_id"] = "alice"  # past "User does not exist" now and then
                case.call_and_validate(base_url=url, headers={"x-api-key": KEY}, excluded_checks=NOT_FOR_P100)

            try:
                run()
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 (collect every operation's failures)
                failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    assert len(operations) == 43
    assert not failures, "\n\n".join(failures)
