"""Prozora (Armenotech DCM) bank-integration API, Customer section."""

from __future__ import annotations

from sandbox.core.provider import Context, Provider
from sandbox.providers.prozora import runtime, scenario
from sandbox.providers.prozora.routes import NAME, api


class Prozora(Provider):
    name = NAME
    api = api
    scenario_schema = scenario.ProzoraScenarioSchema

    def bind(self, context: Context):
        return runtime.build(context)

    def load_scenario(self, rt, section):
        scenario.load(rt, section)

    def credentials(self, section):
        return scenario.credentials(section)


provider = Prozora()
