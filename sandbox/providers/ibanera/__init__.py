"""Ibanera Customer API, Managees module."""

from __future__ import annotations

from sandbox.core.provider import Context, Provider, Setting
from sandbox.providers.ibanera import runtime, scenario
from sandbox.providers.ibanera.routes import NAME, api


class Ibanera(Provider):
    name = NAME
    api = api
    scenario_schema = scenario.IbaneraScenarioSchema
    settings = (
        Setting("strict_otp", "--strict-otp", "SANDBOX_STRICT_OTP",
                "Accept only real TOTP codes, not the sandbox code 123456."),
    )

    def bind(self, context: Context):
        return runtime.build(context)

    def load_scenario(self, rt, section):
        scenario.load(rt, section)

    def credentials(self, section):
        return scenario.credentials(section)


provider = Ibanera()
