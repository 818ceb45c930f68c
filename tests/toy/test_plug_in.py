"""A fifth provider is its folder plus one registry line. The toy provider
(tests/toy) is served by a partner-style suite through the pytest plugin
with one ini line naming it, and gets from core, with no other file edited:
its client fixture (declared by its Kit), its section of the default
scenario (tests/toy/default.yaml), a reset before each test, its tenant's
reset control and its credentials."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parents[2]
#: everything the toy needed: its folder (the tests' own harness and this test aside) ...
TOY_FILES = ("tests/toy/__init__.py", "tests/toy/default.yaml", "tests/toy/provider.py")
#: ... and the plugin's registry line (the tests' registry line is in tests/conftest.py)
REGISTRY_LINE = "sandbox_providers = tests.toy.provider:provider"


def test_the_toy_is_served_with_its_fixture_section_and_resets(pytester, monkeypatch):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeini(f"[pytest]\n{REGISTRY_LINE}\n")
    pytester.makepyfile(test_toy="""
        ADA = {"name": "Ada", "language": "en"}

        def test_its_section_of_the_default_scenario_is_loaded(toy_client):
            # Grace is greeted in tests/toy/default.yaml
            assert toy_client.post("/v1/greetings", json={"name": "Grace", "language": "en"}).status_code == 409

        def test_its_client_fixture_greets(toy_client):
            assert toy_client.post("/v1/greetings", json=ADA).json()["greeting"]["text"] == "Hello, Ada"
            assert toy_client.post("/v1/greetings", json=ADA).status_code == 409

        def test_each_test_starts_from_the_scenario(toy_client):
            assert toy_client.post("/v1/greetings", json=ADA).status_code == 201  # the test before was undone

        def test_its_tenant_reset_control(sandbox, toy_client):
            toy_client.post("/v1/greetings", json=ADA)
            reset = toy_client.post(f"{sandbox.url}/_sandbox/toy/reset")
            # Ada and Grace dropped, Grace brought back from the scenario
            assert reset.status_code == 200 and reset.json()["records"] == 3
            assert toy_client.post("/v1/greetings", json=ADA).status_code == 201

        def test_its_credentials_and_document(sandbox, toy_client):
            assert sandbox.credentials["toy"] == [{"key": "toy-key"}]
            assert "/v1/greetings" in toy_client.get("/openapi.json").json()["paths"]

        def test_its_webhooks_through_the_plugins_receiver(sandbox, toy_client):
            hooks = sandbox.webhooks  # a receiver on 127.0.0.1, registered for the first tenant
            sandbox.clock.freeze()
            sandbox.toy.set_outcomes(approval={"progression": "after", "delay": "PT10M", "outcome": "APPROVED"})
            hooks.fail_next(1)
            greeting = toy_client.post("/v1/greetings", json=ADA).json()["greeting"]
            assert hooks.wait_for("/", timeout=5).status == 500
            sandbox.clock.advance("PT10S")  # the toy's first retry
            again = hooks.wait_for("/", count=2, timeout=5)
            assert again.status == 200 and again.json["id"] == greeting["id"] and hooks.verify(again)
            sandbox.clock.advance("PT10M")
            decided = hooks.wait_for("/approvals", timeout=5)
            assert decided.json["approval"] == "APPROVED" and hooks.verify(decided)
            assert not hooks.verify(decided, secret="another")
            assert [d["type"] for d in sandbox.toy.deliveries()] == ["APPROVAL_DECIDED", "GREETED"]
    """)
    result = pytester.runpytest_subprocess("-p", "sandbox.pytest_plugin", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=6)


def test_nothing_in_the_product_names_the_toy():
    tracked = subprocess.run(["git", "ls-files", "sandbox"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    naming = [path for path in tracked if "toy" in (ROOT / path).read_text(encoding="utf-8", errors="replace")]
    assert naming == [], "sandbox/ must not know the toy provider"
    assert all((ROOT / path).is_file() for path in TOY_FILES)


@pytest.mark.parametrize("spec", ["tests.toy.provider:nope", "no.such.module:provider"])
def test_a_wrong_registry_line_stops_the_run_with_its_reason(pytester, monkeypatch, spec):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeini(f"[pytest]\nsandbox_providers = {spec}\n")
    pytester.makepyfile(test_nothing="def test_nothing(): pass")
    result = pytester.runpytest_subprocess("-p", "sandbox.pytest_plugin", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*sandbox provider {spec!r}*"])
