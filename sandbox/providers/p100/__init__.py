"""P100 Partner API, User Operations module."""

from __future__ import annotations

from pathlib import Path

from sandbox.core.provider import Provider
from sandbox.providers.p100 import dashboard, events, routes, runtime, scenario  # noqa: F401 (routes: declare the endpoints)
from sandbox.providers.p100.api import CONTROLS, api
from sandbox.providers.p100.kit import P100Kit

provider = Provider(api=api, build=runtime.build, scenario_schema=scenario.P100ScenarioSchema,
                    load_scenario=scenario.load, credentials=scenario.credentials,
                    default_scenario=Path(__file__).with_name("default.yaml"), kit=P100Kit, controls=CONTROLS,
                    webhooks=events.WEBHOOKS, outcomes=events.OUTCOMES, magic=events.MAGIC,
                    dashboard=dashboard.DASHBOARD)
