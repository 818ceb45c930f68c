"""Weavr Multi API (consumers) and its sandbox simulator."""

from __future__ import annotations

from pathlib import Path

from sandbox.core.provider import Provider
from sandbox.providers.weavr import runtime, scenario
from sandbox.providers.weavr.kit import WeavrKit
from sandbox.providers.weavr.routes import CONTROLS, api

provider = Provider(api=api, build=runtime.build, scenario_schema=scenario.WeavrScenarioSchema,
                    load_scenario=scenario.load, credentials=scenario.credentials,
                    default_scenario=Path(__file__).with_name("default.yaml"), kit=WeavrKit, controls=CONTROLS)
