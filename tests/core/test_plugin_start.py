"""The pytest plugin starts a session without importing any provider: its
built-in providers' fixtures are registered by name (the registry's BUILT_IN) and
a provider is imported when a test first asks for the sandbox. The names
are held equal to what each Kit declares, so they cannot drift."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from sandbox.providers import BUILT_IN, PROVIDERS


def test_the_registered_names_are_each_kits_own_fixtures():
    assert BUILT_IN == {p.name: tuple(p.kit.fixtures()) for p in PROVIDERS}


def test_a_session_collects_without_importing_a_provider_and_imports_one_on_first_use(tmp_path):
    (tmp_path / "conftest.py").write_text(textwrap.dedent("""
        import sys

        def pytest_collection_finish(session):
            # the registry (sandbox.providers: names only) is read; no provider, nor what they stand on
            loaded = sorted(m for m in ("sandbox.providers.ibanera", "sandbox.providers.p100",
                                        "sandbox.providers.weavr", "sandbox.providers.prozora", "sandbox.app",
                                        "flask", "marshmallow") if m in sys.modules)
            print("LOADED AT COLLECTION:", loaded)
    """))
    (tmp_path / "test_partner.py").write_text(textwrap.dedent("""
        import sys

        def test_a_provider_fixture(ibanera_client):
            assert "sandbox.providers.ibanera" in sys.modules
            assert ibanera_client.get("/api/v1/customer/managees/list").json()["status"] == "1"
    """))
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "sandbox.pytest_plugin",
                           "-p", "no:cacheprovider", str(tmp_path)], cwd=tmp_path, capture_output=True, text=True,
                          check=False, timeout=120,
                          env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTEST_ADDOPTS": ""})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "LOADED AT COLLECTION: []" in done.stdout, done.stdout[-3000:]
