"""Weavr Multi API (consumers) and its sandbox simulator."""

from __future__ import annotations

from sandbox.core.provider import Context, Provider
from sandbox.providers.weavr import runtime, scenario
from sandbox.providers.weavr.routes import NAME, api


class Weavr(Provider):
    name = NAME
    api = api
    scenario_schema = scenario.WeavrScenarioSchema

    def bind(self, context: Context):
        return runtime.build(context)

    def load_scenario(self, rt, section):
        scenario.load(rt, section)

    def credentials(self, section):
        return scenario.credentials(section)


provider = Weavr()
