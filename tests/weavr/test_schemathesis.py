"""Schemathesis over Weavr's OFFICIAL spec (the multi-consumers and simulator
subsets, copied verbatim into tests/weavr/spec/), and over our generated
document.

The official subsets are the contract: no 5xx, no answer that breaks them
(status code, content type, body schema, required headers) and no request
that breaks them accepted (negative_data_rejection: a null where the spec's
type has none, a wrongly typed enum, an id past int64). Requests go
in-process to the WSGI app; each case gets valid credentials and a fresh
onboarded consumer (with a funded account) from `supply_credentials`.
Bounded: EXAMPLES examples per operation, positive and negative, for each
seed of SEEDS (the suite: one seed, 8 examples; the deeper run, three seeds
at 100: SANDBOX_FUZZ_SEEDS=1,2,3 SANDBOX_FUZZ_EXAMPLES=100 pytest
tests/weavr/test_schemathesis.py -k official).

Our own document (openapi/weavr.json) gets the full `schemathesis run`: every
check, the examples, coverage, fuzzing and stateful phases
(tests/schemathesis_cli.py)."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import schemathesis_cli
from tests.weavr.client import KEY, WeavrClient

SPEC = Path(__file__).parent / "spec"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, negative_data_rejection]
# per operation and generation mode; a deeper run:
# WEAVR_SCHEMATHESIS_EXAMPLES=200 pytest tests/weavr/test_schemathesis.py
EXAMPLES = int(os.environ.get("SANDBOX_FUZZ_EXAMPLES", os.environ.get("WEAVR_SCHEMATHESIS_EXAMPLES", "8")))
#: hypothesis seeds of the official specs' runs, each a run of its own (a failure names its seed)
SEEDS = tuple(int(n) for n in os.environ.get("SANDBOX_FUZZ_SEEDS", "0").split(","))
OWN_DOCUMENT_EXAMPLES = 20  # per operation in the suite (15-30 s on this 2-core machine); `make fuzz`: 100


def supply_credentials(client, case, mode) -> None:
    """The hook: a fresh consumer, its access token, the api-key and the
    programme-key on every case; and, for positive cases, path ids that
    exist and the scenario's values where random ones would only meet a 409
    (profile, country, currency, fee group), so successes are checked too.
    A negative case keeps its own path ids: one may be what breaks the spec."""
    consumer = WeavrClient(client).onboard()
    account = consumer.open_account("EUR", balance=100_000)
    newcomer = WeavrClient(client).create()  # for password create: no password yet
    case.headers = {**(case.headers or {}), "api-key": KEY, "programme-key": KEY,
                    "Authorization": f"Bearer {consumer.token}"}
    ids = {"user_id": newcomer.id, "consumer_id": int(newcomer.id), "account_id": int(account["id"])}
    if mode == GenerationMode.POSITIVE and case.path_parameters:
        case.path_parameters = {name: ids.get(name, value) for name, value in case.path_parameters.items()}
    if mode == GenerationMode.POSITIVE and isinstance(case.body, dict):
        case.body = scenario_values(case.body)


def scenario_values(body: dict) -> dict:
    body = dict(body)
    if "profileId" in body:
        body["profileId"] = "1011"
    for name, value in (("baseCurrency", "EUR"), ("feeGroup", "DEFAULT")):
        if name in body:
            body[name] = value
    root = body.get("rootUser", body)
    if isinstance(root.get("address"), dict):
        root["address"] = {**root["address"], "country": "GB"}
    return body


def run(schema, client, app, seed_value: int) -> tuple[Counter, Counter]:
    counts: Counter = Counter()
    statuses: Counter = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        # schemathesis ignores an operation's own `servers` (our /_sandbox/weavr controls): send them there
        servers = operation.definition.raw.get("servers")
        base_url = f"http://localhost{servers[0]['url']}" if servers else None
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            seed(seed_value)(fuzz(operation, mode, base_url, client, app, counts, statuses))()
    return counts, statuses


def fuzz(operation, mode, base_url, client, app, counts: Counter, statuses: Counter):
    """The hypothesis test of one operation in one generation mode, counting
    the cases per operation and the statuses answered (built here, not in
    run's loop, so it holds this operation and mode: @given takes no defaults)."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def check(case):
        supply_credentials(client, case, mode)
        response = case.call(app=app, base_url=base_url)
        case.validate_response(response, checks=CHECKS)
        counts[f"{operation.method.upper()} {operation.path}"] += 1
        statuses[response.status_code] += 1

    return check


def report(name: str, counts: Counter, statuses: Counter) -> None:
    print(f"\nschemathesis {name}: {sum(counts.values())} cases over {len(counts)} operations; statuses "
          f"{dict(sorted(statuses.items()))}")
    for label, n in sorted(counts.items()):
        print(f"  {n:4d}  {label}")


@pytest.mark.parametrize("seed_value", SEEDS)
def test_official_multi_consumers_spec(app, client, seed_value):
    document = yaml.safe_load((SPEC / "multi-consumers.openapi.yml").read_text())
    document["servers"] = [{"url": "/weavr/multi"}]  # https://sandbox.weavr.io/multi, served here
    counts, statuses = run(schemathesis.openapi.from_dict(document), client, app, seed_value)
    report(f"official multi-consumers, seed {seed_value}", counts, statuses)
    assert statuses[200]
    assert len(counts) == 11


@pytest.mark.parametrize("seed_value", SEEDS)
def test_official_simulator_spec(app, client, seed_value):
    document = yaml.safe_load((SPEC / "simulator-consumers.openapi.yml").read_text())
    document["servers"] = [{"url": "/weavr/simulate/api"}]  # the upstream URL ends in a stray quote
    counts, statuses = run(schemathesis.openapi.from_dict(document), client, app, seed_value)
    report(f"official simulator, seed {seed_value}", counts, statuses)
    assert len(counts) == 3


def test_our_generated_document():
    """`schemathesis run` over openapi/weavr.json as a partner runs it (every
    check, the four phases, a real server on the default scenario), with
    tests/weavr/schemathesis_hooks.py for credentials and business-valid
    positive cases; `make fuzz` runs 100 examples per operation."""
    run = schemathesis_cli.run("weavr", schemathesis_cli.examples(OWN_DOCUMENT_EXAMPLES))
    run.assert_clean(min_generated=1500)
    assert "Tested: 34" in run.summary, run.summary
