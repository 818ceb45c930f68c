"""The contract between the sandbox core and one provider's package.

Adding a provider means one package that defines a Provider subclass and one
line in sandbox/providers/__init__.py. From its name the core mounts its API
under /<name>, its sandbox controls under /_sandbox/<name>, its document at
/<name>/openapi.json, and answers every error under those paths in its
envelope. Its store collections are named "<name>.<what>" and each record's
tenant is the credential that owns it: a tenant's own reset
(Sandbox.reset_tenant) restores that tenant's records in those collections."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from marshmallow import Schema

if TYPE_CHECKING:
    from sandbox.config import Config
    from sandbox.core.api import Api
    from sandbox.core.clock import Clock
    from sandbox.core.errors import ApiError
    from sandbox.core.fakes import Fakes
    from sandbox.core.store import Store


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


@dataclass
class Context:
    """What a provider's runtime is given: shared services, no Flask."""

    config: Config
    store: Store
    clock: Clock
    fakes: Fakes
    #: this provider's own settings (defaults filled in)
    settings: Mapping[str, Any] = field(default_factory=dict)


class Provider:
    """One served provider. Declare it in the provider's package:

        provider = Provider(api=api, build=runtime.build, scenario_schema=scenario.Schema,
                            load_scenario=scenario.load, credentials=scenario.credentials)

    or subclass it and override the methods. Its name is its Api's."""

    name: str
    api: Api
    #: validates this provider's section of a scenario file
    scenario_schema: type[Schema]
    settings: tuple[Setting, ...] = ()

    def __init__(self, *, api: Api | None = None, scenario_schema: type[Schema] | None = None,
                 build: Callable[[Context], Any] | None = None,
                 load_scenario: Callable[[Any, dict], None] | None = None,
                 credentials: Callable[[dict], list[str]] | None = None,
                 settings: tuple[Setting, ...] | None = None, reset: Callable[[Any], None] | None = None,
                 served_document: Callable[[dict, Any], dict] | None = None):
        for attribute, value in (("api", api), ("scenario_schema", scenario_schema), ("settings", settings)):
            if value is not None:
                setattr(self, attribute, value)
        self.name = getattr(self, "name", None) or self.api.name
        self._build, self._load, self._credentials, self._reset = build, load_scenario, credentials, reset
        self._served_document = served_document

    @property
    def errors(self) -> type[ApiError]:
        return self.api.errors

    def owns(self, path: str) -> bool:
        return self.api.owns(path)

    def settings_from(self, config: Config) -> dict[str, Any]:
        given = config.providers.get(self.name, {})
        unknown = set(given) - {s.name for s in self.settings}
        if unknown:
            raise ValueError(f"{self.name} has no settings {sorted(unknown)}")
        return {s.name: given.get(s.name, s.default) for s in self.settings}

    def bind(self, context: Context) -> Any:
        """Create this provider's runtime (its services) over the shared store."""
        return self._build(context)

    def load_scenario(self, runtime: Any, section: dict) -> None:
        """Seed the store from this provider's (validated) scenario section."""
        self._load(runtime, section)

    def credentials(self, section: dict) -> list[str]:
        """Human-readable credential lines for the start-up banner."""
        return self._credentials(section) if self._credentials else []

    def reset(self, runtime: Any) -> None:
        """Called on every reset, after the store and the clock are back to
        the scenario: drop what the runtime keeps outside the store."""
        if self._reset:
            self._reset(runtime)

    def served_document(self, document: dict, runtime: Any) -> dict:
        """The document served at /<name>/openapi.json, from the code's
        (`document`, a copy, as exported to openapi/<name>.json) and the
        runtime of the loaded scenario: where what is valid depends on the
        scenario (e.g. its supported countries), the served document says so."""
        return self._served_document(document, runtime) if self._served_document else document
