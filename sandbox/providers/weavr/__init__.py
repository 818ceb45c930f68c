"""Weavr Multi API (consumers) and its sandbox simulator."""

from __future__ import annotations

from pathlib import Path

from sandbox.core.provider import Provider
from sandbox.providers.weavr import dashboard, routes, runtime, scenario  # noqa: F401 (routes: declare the endpoints)
from sandbox.providers.weavr.api import CONTROLS, api
from sandbox.providers.weavr.kit import WeavrKit

provider = Provider(api=api, build=runtime.build, scenario_schema=scenario.WeavrScenarioSchema,
                    load_scenario=scenario.load, credentials=scenario.credentials,
                    default_scenario=Path(__file__).with_name("default.yaml"), kit=WeavrKit, controls=CONTROLS,
                    dashboard=dashboard.DASHBOARD)
