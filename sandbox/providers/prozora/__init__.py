"""Prozora (Armenotech DCM) bank-integration API, Customer section."""

from __future__ import annotations

from pathlib import Path

from sandbox.core.provider import Provider
from sandbox.providers.prozora import dashboard, events, routes, runtime, scenario  # noqa: F401 (routes: declare the endpoints)
from sandbox.providers.prozora.api import CONTROLS, api
from sandbox.providers.prozora.kit import ProzoraKit

provider = Provider(api=api, build=runtime.build, scenario_schema=scenario.ProzoraScenarioSchema,
                    load_scenario=scenario.load, credentials=scenario.credentials,
                    default_scenario=Path(__file__).with_name("default.yaml"), kit=ProzoraKit, controls=CONTROLS,
                    webhooks=events.WEBHOOKS, outcomes=events.OUTCOMES, magic=events.MAGIC,
                    dashboard=dashboard.DASHBOARD)
