"""The pytest plugin in a suite of its own (pytester runs it in-process):
fixtures, reset between tests, options, the scenario marker, and that a
suite's own conftest fixtures of the same names win over the plugin's."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def run(pytester, monkeypatch):
    # The plugin by its module, whether or not its entry point is installed here
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")

    def run(*args):
        return pytester.runpytest_inprocess("-p", "sandbox.pytest_plugin", "-p", "no:cacheprovider", *args)
    return run


def test_fixtures_and_a_reset_before_each_test(pytester, run):
    pytester.makepyfile(test_partner="""
        def test_create(sandbox, p100_client):
            assert sandbox.url.startswith("http://127.0.0.1:")
            created = p100_client.post("/v1/user/balances/crypto-and-fiat", json={
                "externalUserId": "alice", "email": "alice@example.pl", "firstName": "Jan", "lastName": "K",
                "country": "PL", "citizenship": "PL", "hasAcceptedP100Tc": True})
            assert created.status_code == 201, created.text

        def test_gone_after_reset(p100_client):
            assert p100_client.get("/v1/user/balances/alice").json()["errorCode"] == "P412"

        def test_logged_in_clients(ibanera_client, weavr_consumer, prozora_client):
            assert ibanera_client.get("/api/v1/customer/managees/list").json()["status"] == "1"
            assert weavr_consumer["client"].get("/multi/consumers").json()["id"]["id"] == weavr_consumer["id"]
            assert prozora_client.get("/customers").json()["total"] == 0
    """)
    run().assert_outcomes(passed=3)


def test_options_and_the_marker(pytester, run):
    pytester.makefile(".yaml", other="name: other\nibanera:\n  managers:\n    - {username: a@x.example, "
                                     "password: pw, totp_secret: 3S3QY26KJEEBY4FPBER5NCOMBZQMT3N4}\n")
    pytester.makefile(".yaml", marked="name: marked\n")
    pytester.makepyfile(test_partner="""
        import pytest

        def test_session_scenario_and_seed(sandbox):
            assert sandbox.runtime.scenario.name == "other" and sandbox.runtime.config.seed == 7
            assert [m["username"] for m in sandbox.credentials["ibanera"]] == ["a@x.example"]

        @pytest.mark.sandbox_scenario("marked.yaml")
        def test_marker(sandbox):
            assert sandbox.runtime.scenario.name == "marked"

        def test_back_to_the_session_one(sandbox):
            assert sandbox.runtime.scenario.name == "other"
    """)
    run("--sandbox-scenario", "other.yaml", "--sandbox-seed", "7").assert_outcomes(passed=3)


def test_a_suites_own_fixtures_win_and_no_sandbox_starts(pytester, run):
    pytester.makeconftest("""
        import pytest

        @pytest.fixture
        def sandbox():
            return "ours"
    """)
    pytester.makepyfile(test_ours="""
        import threading

        def test_ours(sandbox, request):
            assert sandbox == "ours"
            assert not [t for t in threading.enumerate() if t.name.startswith("fintech-sandbox")]
    """)
    run().assert_outcomes(passed=1)


def test_a_bad_host_option_is_a_usage_error(pytester, run):
    pytester.makepyfile(test_x="def test_x(sandbox):\n    pass\n")
    result = run("--sandbox-host", "no-provider-given")
    assert "HOST=PROVIDER" in result.stdout.str() + result.stderr.str()


def test_under_xdist_each_worker_has_its_own_sandbox(pytester, monkeypatch, tmp_path):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # this checkout's sandbox package, in the workers too
    seen = tmp_path / "seen"
    seen.mkdir()
    pytester.makepyfile(test_partner=f"""
        import os
        import pytest

        @pytest.mark.parametrize("n", range(8))
        def test_create(sandbox, p100_client, n):
            created = p100_client.post("/v1/user/balances/crypto-and-fiat", json={{
                "externalUserId": "same-id", "email": "a@example.pl", "firstName": "Jan", "lastName": "K",
                "country": "PL", "citizenship": "PL", "hasAcceptedP100Tc": True}})
            assert created.status_code == 201, created.text
            (__import__("pathlib").Path({str(seen)!r}) / f"{{n}}").write_text(
                os.environ["PYTEST_XDIST_WORKER"] + " " + sandbox.url)
    """)
    result = pytester.runpytest_subprocess("-p", "sandbox.pytest_plugin", "-p", "xdist.plugin", "-n", "2",
                                           "-p", "no:cacheprovider")
    result.assert_outcomes(passed=8)
    urls = {}
    for record in seen.iterdir():
        worker, url = record.read_text().split()
        urls.setdefault(worker, set()).add(url)
    assert len(urls) == 2 and all(len(u) == 1 for u in urls.values())  # one sandbox per worker...
    assert len(set.union(*urls.values())) == 2  # ...each on its own port


def test_a_failing_test_shows_the_sandbox_requests_it_made(pytester, run):
    pytester.makepyfile(test_partner="""
        def test_that_fails(p100_client):
            p100_client.get("/v1/user/balances/nobody")
            p100_client.post("/v1/user/balances/crypto-and-fiat", json={"externalUserId": "a"})
            assert False, "the partner's own assertion"

        def test_that_passes(p100_client):
            p100_client.get("/v1/user/balances/nobody")
    """)
    result = run()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*sandbox requests*", "GET /p100/v1/user/balances/nobody 400 *P412*",
                                 "POST /p100/v1/user/balances/crypto-and-fiat 400 *| P403 email: is required*"])
    assert result.stdout.str().count("sandbox requests") == 1  # only the failing test's report has them


def test_the_journal_and_faults_from_a_test(pytester, run):
    pytester.makepyfile(test_partner="""
        import httpx, pytest

        def test_journal_and_a_fault(sandbox, p100_client):
            p100_client.get("/v1/user/balances/nobody")
            assert sandbox.journal.count(provider="p100", status=400) == 1
            assert sandbox.journal.find(path="/p100/v1/user/balances/*")[0]["problems"][0]["code"] == "P412"
            with sandbox.faults.inject("p100", path="/p100/v1/user/balances/*", kind="error", status=429, times=1):
                assert p100_client.get("/v1/user/balances/nobody").status_code == 429
            assert sandbox.journal.count(status=429) == 1

        def test_a_dropped_connection_through_the_interceptor(sandbox, intercept):
            with sandbox.faults.inject("p100", path="/p100/*", kind="drop"):
                with pytest.raises(httpx.RemoteProtocolError):
                    httpx.get("https://partner-api-stage.p100.io/v1/user/balances/x",
                              headers={"x-api-key": "p100-sandbox-api-key"})

        def test_each_test_starts_with_an_empty_journal(sandbox):
            assert sandbox.journal.count() == 0
    """)
    run().assert_outcomes(passed=3)
