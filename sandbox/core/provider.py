"""The contract between the sandbox core and one provider's package: the
whole plug-in is one `Provider` declaration in the package's __init__.py
plus one line in the registry (sandbox/providers/__init__.py).

From its Api's name the core mounts its API under /<name>, its sandbox
controls under /_sandbox/<name>, its document at /<name>/openapi.json, and
answers every error under those paths in its envelope. Its store
collections are named "<name>.<what>" and each record's tenant is the
credential that owns it. The controls every provider has (a tenant's
reset, ...) are core's (sandbox/core/controls.py), declared on its Api from
its `controls`. Its section of the default scenario is a YAML file in its
folder; its Kit gives tests its clients, control helpers and pytest fixtures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from marshmallow import Schema

from sandbox.config import Config
from sandbox.core import controls
from sandbox.core.api import Api
from sandbox.core.context import Context, ProviderRuntime
from sandbox.core.errors import ApiError
from sandbox.core.kit import Kit
from sandbox.core.outcomes import Kind, Magic
from sandbox.core.views import Dashboard
from sandbox.core.webhooks import WebhookPolicy

R = TypeVar("R", bound=ProviderRuntime)


@dataclass(frozen=True)
class Setting:
    """A provider's own setting: a CLI flag (and env var) whose value reaches
    the provider as context.settings[name]."""

    name: str
    flag: str
    envvar: str
    help: str
    default: Any = False
    is_flag: bool = True


@dataclass(eq=False)
class Provider(Generic[R]):
    """One served provider, declared once in its package:

        provider = Provider(api=api, build=runtime.build, scenario_schema=scenario.Schema,
                            load_scenario=scenario.load, credentials=scenario.credentials,
                            default_scenario=Path(__file__).with_name("default.yaml"),
                            kit=kit.ThingKit, controls=api.CONTROLS, dashboard=dashboard.DASHBOARD)
    """

    api: Api
    #: its runtime (services over the shared store) for one sandbox
    build: Callable[[Context], R]
    #: validates its section of a scenario file
    scenario_schema: type[Schema]
    #: seeds the store from its (validated) section
    load_scenario: Callable[[R, dict], None]
    #: human-readable credential lines of a section, for the start-up banner
    credentials: Callable[[dict], list[str]]
    #: its section of the default scenario (None: an empty section)
    default_scenario: Path | None
    #: what tests need of it: clients, control helpers, plugin fixtures
    kit: type[Kit]
    #: how core's controls under /_sandbox/<name> authenticate and find the tenant
    controls: controls.TenantControls
    settings: tuple[Setting, ...] = ()
    #: how it calls back (None: it documents no callbacks)
    webhooks: WebhookPolicy | None = None
    #: the transitions it decides later, whose progression and outcome a tenant chooses
    outcomes: tuple[Kind, ...] = ()
    #: values in requests that choose an outcome (listed at GET /_sandbox/magic)
    magic: tuple[Magic, ...] = ()
    #: the document served at /<name>/openapi.json, from the code's (a copy) and
    #: the loaded runtime, where what is valid depends on the scenario
    served_document: Callable[[dict, R], dict] | None = None
    #: where a client's base URL points, under its prefix (Weavr: its Multi API and its simulator, each a base
    #: of its own as on Weavr's hosts); shown in the banner and on the landing page
    client_bases: tuple[str, ...] = ("",)
    #: what the dashboard (/_sandbox/ui) shows of it: its entities, their states, the buttons that move
    #: them, the credential a tenant gives the page (None: only the journal, outbox and faults)
    dashboard: Dashboard | None = None
    name: str = field(init=False)
    _controls_document: Any = field(default=None, init=False, repr=False)

    def __post_init__(self):
        self.name = self.api.name
        if self.kit.name != self.name:
            raise ValueError(f"{self.name}: its kit is named {self.kit.name!r}")
        controls.declare(self.api, self.controls, self.webhooks, self.outcomes)

    @property
    def errors(self) -> type[ApiError]:
        return self.api.errors

    def owns(self, path: str) -> bool:
        return self.api.owns(path)

    def settings_from(self, config: Config) -> dict[str, Any]:
        given: Mapping[str, Any] = config.providers.get(self.name, {})
        unknown = set(given) - {s.name for s in self.settings}
        if unknown:
            raise ValueError(f"{self.name} has no settings {sorted(unknown)}")
        return {s.name: given.get(s.name, s.default) for s in self.settings}

    def controls_document(self) -> dict:
        """Its sandbox controls alone, served at /_sandbox/<name>/openapi.json under their own server."""
        if self._controls_document is None:
            self._controls_document = self.api.document.controls(self.api.control_prefix)
        return self._controls_document.as_dict()

    def document_for(self, runtime: R) -> dict:
        """The document served at /<name>/openapi.json: the code's (as
        exported to openapi/<name>.json), with what the loaded scenario changes."""
        document = self.api.document.as_dict()
        return self.served_document(document, runtime) if self.served_document else document
