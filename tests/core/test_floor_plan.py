"""One floor plan for every provider: a reader who knows one provider's
folder knows where to look in the next (the README's layout section says
what each file holds)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from sandbox.providers import PROVIDERS

PROVIDERS_DIR = Path(__file__).resolve().parents[2] / "sandbox" / "providers"
#: every provider folder holds exactly these (routes/ and services/: a module per domain)
FLOOR_PLAN = {
    "__init__.py",  # the Provider declaration: the whole plug-in
    "api.py",  # the Api: its document, who calls (securities), its controls' tenant
    "routes",  # one declaration per endpoint, a module per domain (controls.py: its own sandbox controls)
    "services",  # state and business rules over the store, a module per domain (no Flask)
    "schemas.py",  # request and answer schemas (marshmallow)
    "replies.py",  # its success answers (the reply and its envelope)
    "errors.py",  # its error envelope and every code, with provenance
    "events.py",  # its callbacks (events as documented, signing, retries) and what it decides later
    "constants.py",  # documented values and inferred choices, in one place
    "examples.py",  # the document's examples (records of the default scenario)
    "scenario.py",  # its section of a scenario file: schema, loader, banner lines
    "default.yaml",  # its section of the default scenario
    "runtime.py",  # its runtime: the services over one sandbox's store
    "kit.py",  # what tests need of it: clients, control helpers, plugin fixtures
    "dashboard.py",  # what the dashboard shows of it: its entities, their states, the buttons that move them
}


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name != "__pycache__"}


@pytest.mark.parametrize("provider", [p.name for p in PROVIDERS])
def test_every_provider_folder_has_the_same_floor_plan(provider):
    folder = PROVIDERS_DIR / provider
    assert listing(folder) == FLOOR_PLAN
    for package in ("routes", "services"):
        assert (folder / package / "__init__.py").is_file()
        assert listing(folder / package) - {"__init__.py"}, f"{provider}/{package} holds its modules"


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda p: p.name)
def test_every_provider_declares_what_the_dashboard_shows(provider):
    declared = importlib.import_module(f"sandbox.providers.{provider.name}.dashboard").DASHBOARD
    assert provider.dashboard is declared and provider.dashboard.views


def test_every_provider_is_registered():
    assert {p.name for p in PROVIDERS} == {p.name for p in PROVIDERS_DIR.iterdir() if (p / "__init__.py").is_file()}
