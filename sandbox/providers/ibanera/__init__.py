"""Ibanera Customer API, Managees module."""

from __future__ import annotations

from sandbox.core.provider import Context, Provider
from sandbox.providers.ibanera import errors, runtime, scenario
from sandbox.providers.ibanera.control import CONTROL_PREFIX, control
from sandbox.providers.ibanera.routes import api, blueprint


class Ibanera(Provider):
    name = runtime.NAME
    mounts = ((blueprint, "/ibanera"), (control, CONTROL_PREFIX))
    api_doc = api
    scenario_schema = scenario.IbaneraScenarioSchema

    def bind(self, context: Context):
        return runtime.build(context)

    def load_scenario(self, rt, section):
        scenario.load(rt, section)

    def credentials(self, section):
        return scenario.credentials(section)

    def http_error(self, exc):
        return errors.http_error(exc)

    def unexpected_error(self):
        return errors.unexpected_error()


provider = Ibanera()
