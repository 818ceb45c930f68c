"""Ibanera Customer API, Managees module."""

from __future__ import annotations

from pathlib import Path

from sandbox.core.provider import Provider, Setting
from sandbox.providers.ibanera import dashboard, events, routes, runtime, scenario  # noqa: F401 (routes: declare the endpoints)
from sandbox.providers.ibanera.api import CONTROLS, api, served_document
from sandbox.providers.ibanera.kit import IbaneraKit

provider = Provider(
    api=api, build=runtime.build, scenario_schema=scenario.IbaneraScenarioSchema,
    load_scenario=scenario.load, credentials=scenario.credentials, served_document=served_document,
    default_scenario=Path(__file__).with_name("default.yaml"), kit=IbaneraKit, controls=CONTROLS,
    dashboard=dashboard.DASHBOARD,
    webhooks=events.WEBHOOKS, outcomes=events.OUTCOMES, magic=events.MAGIC,
    settings=(Setting("strict_otp", "--strict-otp", "SANDBOX_STRICT_OTP",
                      "Accept only real TOTP codes, not the sandbox code 123456."),),
)
