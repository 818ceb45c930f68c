"""Scenario files, whatever the providers: read, validated per section by
each provider, and refused with a reason."""

from __future__ import annotations

import pytest

from sandbox.app import create_app
from sandbox.config import Config
from sandbox.core.scenario import ScenarioError
from tests.conftest import PROVIDERS


def app_for(tmp_path, text: str):
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    return create_app(Config(scenario=str(path)), PROVIDERS)


@pytest.mark.parametrize("text,message", [
    ("name: x\ntoy: [1, 2", r"scenario\.yaml:2: not valid YAML"),
    ("- just\n- a list\n", r"scenario\.yaml:1: a scenario is a mapping"),
    ("name: x\n\ntyo: {}\n", r"scenario\.yaml:3: tyo: unknown section"),
    ("toy:\n  greetings:\n    - Ada\n    - ''\n", r"scenario\.yaml:4: toy\.greetings\[1\]: Length must be"),
])
def test_bad_scenarios_are_refused_with_file_line_and_field(tmp_path, text, message):
    with pytest.raises(ScenarioError, match=message):
        app_for(tmp_path, text)


def test_missing_scenario_file(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read the scenario"):
        create_app(Config(scenario=str(tmp_path / "nope.yaml")), PROVIDERS)


def test_a_section_seeds_its_provider_and_reset_returns_to_it(tmp_path):
    client = app_for(tmp_path, "name: seeded\ntoy:\n  greetings: [Ada]\n").test_client()
    greet = {"json": {"name": "Ada", "language": "en"}, "headers": {"x-toy-key": "toy-key"}}
    assert client.post("/toy/v1/greetings", **greet).status_code == 409  # seeded: already greeted
    assert client.post("/toy/v1/greetings", **{**greet, "json": {"name": "Bob", "language": "en"}}).status_code == 201
    assert client.post("/_sandbox/reset").get_json()["scenario"] == "seeded"
    assert client.post("/toy/v1/greetings", **{**greet, "json": {"name": "Bob", "language": "en"}}).status_code == 201
