"""Prozora (Armenotech DCM) bank-integration API, Customer section."""

from __future__ import annotations

from sandbox.core.provider import Provider
from sandbox.providers.prozora import runtime, scenario
from sandbox.providers.prozora.routes import api

provider = Provider(api=api, build=runtime.build, scenario_schema=scenario.ProzoraScenarioSchema,
                    load_scenario=scenario.load, credentials=scenario.credentials)
