"""P100 Partner API, User Operations module."""

from __future__ import annotations

from sandbox.core.provider import Context, Provider
from sandbox.providers.p100 import routes_cards, routes_controls, routes_money, routes_users  # noqa: F401 (routes)
from sandbox.providers.p100 import runtime, scenario
from sandbox.providers.p100.api import NAME, api


class P100(Provider):
    name = NAME
    api = api
    scenario_schema = scenario.P100ScenarioSchema

    def bind(self, context: Context):
        return runtime.build(context)

    def load_scenario(self, rt, section):
        scenario.load(rt, section)

    def credentials(self, section):
        return scenario.credentials(section)


provider = P100()
