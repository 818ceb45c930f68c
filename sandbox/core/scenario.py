"""Scenario files: a YAML world that the sandbox loads at start and returns
to on reset. Top-level keys are `name`, `description` and one section per
provider; each provider validates its own section."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from marshmallow import ValidationError

_HERE = Path(__file__).resolve()
# A wheel carries the fixtures inside the package; a source checkout has them
# at the repository root.
_DEFAULT_CANDIDATES = (
    _HERE.parents[1] / "fixtures" / "default.yaml",
    _HERE.parents[2] / "fixtures" / "default.yaml",
)


class ScenarioError(Exception):
    pass


@dataclass
class Scenario:
    name: str
    path: Path
    description: str = ""
    sections: dict[str, dict] = field(default_factory=dict)


def default_scenario_path() -> Path:
    for candidate in _DEFAULT_CANDIDATES:
        if candidate.exists():
            return candidate
    raise ScenarioError("the default scenario fixtures/default.yaml is missing")


def load_scenario(path: Path | str | None, providers, planned: tuple[str, ...] = ()) -> Scenario:
    """Read and validate a scenario file against the registered providers.

    Sections for `planned` providers (not served yet) are accepted and
    ignored; any other unknown key is an error, so typos do not pass silently."""
    path = Path(path) if path else default_scenario_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ScenarioError(f"cannot read scenario {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ScenarioError(f"scenario {path} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ScenarioError(f"scenario {path} must be a mapping at the top level")
    by_name = {p.name: p for p in providers}
    unknown = set(raw) - {"name", "description"} - set(by_name) - set(planned)
    if unknown:
        raise ScenarioError(f"scenario {path}: unknown section(s) {sorted(unknown)}")
    sections = {}
    for name, provider in by_name.items():
        try:
            sections[name] = provider.scenario_schema().load(raw.get(name) or {})
        except ValidationError as exc:
            raise ScenarioError(f"scenario {path}, section {name}: {exc.messages}") from exc
    return Scenario(
        name=str(raw.get("name") or path.stem),
        path=path,
        description=str(raw.get("description") or ""),
        sections=sections,
    )
