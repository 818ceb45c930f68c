"""Weavr Multi API (consumers) and its sandbox simulator."""

from __future__ import annotations

from pathlib import Path

from sandbox.core.provider import Provider
from sandbox.providers.weavr import dashboard, events, routes, runtime, scenario  # noqa: F401 (routes: the endpoints)
from sandbox.providers.weavr.api import CONTROLS, MULTI, SIMULATOR, api
from sandbox.providers.weavr.kit import WeavrKit

provider = Provider(api=api, build=runtime.build, scenario_schema=scenario.WeavrScenarioSchema,
                    load_scenario=scenario.load, credentials=scenario.credentials,
                    default_scenario=Path(__file__).with_name("default.yaml"), kit=WeavrKit, controls=CONTROLS,
                    webhooks=events.WEBHOOKS, outcomes=events.OUTCOMES, magic=events.MAGIC,
                    dashboard=dashboard.DASHBOARD, client_bases=(MULTI, SIMULATOR))
