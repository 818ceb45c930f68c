"""Prozora (Armenotech DCM) bank-integration API, Customer section."""

from __future__ import annotations

from pathlib import Path

from sandbox.core.provider import Provider
from sandbox.providers.prozora import runtime, scenario
from sandbox.providers.prozora.kit import ProzoraKit
from sandbox.providers.prozora.routes import CONTROLS, api

provider = Provider(api=api, build=runtime.build, scenario_schema=scenario.ProzoraScenarioSchema,
                    load_scenario=scenario.load, credentials=scenario.credentials,
                    default_scenario=Path(__file__).with_name("default.yaml"), kit=ProzoraKit, controls=CONTROLS)
