"""Scenario files: a YAML world that the sandbox loads at start (or at run
time, POST /_sandbox/scenario) and returns to on reset. Top-level keys are
`name`, `description` and one section per provider; each provider validates
its own section with its marshmallow schema.

A mistake is refused with the file, the line and the field: the YAML is
composed into PyYAML's node tree (each node keeps its position), the data
is constructed from that tree, and marshmallow's error paths (nested dicts
of field names and list indexes) are followed back down the tree to the
node they name, e.g. `bad.yaml:12: ibanera.managers[0].username: Not a
valid email address.`"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from marshmallow import ValidationError

#: the default scenario: this header, then each provider's own section (Provider.default_scenario)
DEFAULT_NAME = "default"
DEFAULT_HEADER = """\
# The default scenario: well-known sandbox credentials, like a payment
# provider's published test keys. Loaded when no --scenario is given, and
# what POST /_sandbox/reset returns to. Each provider's section is the
# default.yaml of its package (sandbox/providers/<name>/default.yaml).
name: default
description: Two tenants per provider, and the records the documents' examples name.
"""
DEFAULT_SOURCE = "<default scenario>"
_HERE = Path(__file__).resolve()
#: the scenarios shipped with the sandbox, by name: a wheel carries them inside the
#: package (sandbox/fixtures), a source checkout at the repository root (fixtures/)
SHIPPED_DIRS = (_HERE.parents[1] / "fixtures", _HERE.parents[2] / "fixtures")
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
#: a document that expands (through YAML aliases) beyond this many nodes is refused
#: before validation: "billion laughs" would otherwise walk an exponential tree
MAX_NODES = 2_000_000


class ScenarioError(Exception):
    """A scenario that cannot be loaded: where (file, line, field) and why;
    the first mistake, and every other one found with it (`more`)."""

    def __init__(self, file: str, message: str, line: int | None = None, field: str | None = None,
                 more: tuple[tuple[int | None, str | None, str], ...] = ()):
        self.file, self.message, self.line, self.field = file, message, line, field
        self.more = more
        super().__init__(self._say(line, field, message))

    def _say(self, line: int | None, field: str | None, message: str) -> str:
        where = f"{self.file}:{line}" if line is not None else self.file
        return f"{where}: {field}: {message}" if field else f"{where}: {message}"

    def every(self) -> list[str]:
        """Each mistake, one line each, in the file's order."""
        return [str(self), *(self._say(*other) for other in self.more)]

    def as_dict(self) -> dict:
        found = {"file": self.file, "line": self.line, "field": self.field}
        return found | ({"errors": self.every()} if self.more else {})


@dataclass
class Scenario:
    name: str
    path: Path | None
    description: str = ""
    #: provider name -> its validated section
    sections: dict[str, dict] = field(default_factory=dict)
    #: the YAML text it was read from (a snapshot carries it)
    text: str = ""
    #: the document as written (JSON-able), for GET /_sandbox/scenario
    document: dict = field(default_factory=dict)
    #: what errors call it (a file name, or "<request body>")
    source: str = "scenario"
    #: provider name -> the line of its section (for a refusal found while seeding)
    lines: dict[str, int | None] = field(default_factory=dict)

    def seeding_error(self, section: str, message: str) -> ScenarioError:
        return ScenarioError(self.source, f"cannot be seeded: {message}", self.lines.get(section), section)


def default_scenario_text(providers) -> str:
    """The default scenario's YAML: the header, then each provider's section
    file indented under its name (so a line of it keeps its place)."""
    parts = [DEFAULT_HEADER]
    for provider in providers:
        if provider.default_scenario is None:
            continue
        section = provider.default_scenario.read_text(encoding="utf-8")
        indented = "".join(f"  {line}" if line.strip() else line for line in section.splitlines(keepends=True))
        parts.append(f"\n{provider.name}:\n{indented}")
    return "".join(parts)


def shipped_scenarios() -> dict[str, Path | None]:
    """The scenarios shipped with the sandbox, by name ("default" is made of
    the providers' own sections, so it has no file)."""
    found: dict[str, Path | None] = {DEFAULT_NAME: None}
    for directory in SHIPPED_DIRS:
        for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else ():
            found.setdefault(path.stem, path)
    return found


def is_name(reference: str) -> bool:
    """A shipped scenario's name (`kyc-edge-cases`), not a path to a file."""
    return bool(_NAME.fullmatch(reference))


def load_scenario(reference: Path | str | None, providers, planned: tuple[str, ...] = ()) -> Scenario:
    """Read and validate a scenario against the registered providers:
    `reference` is a file, a shipped scenario's name, or None (the default
    scenario, made of each provider's own section)."""
    if isinstance(reference, str) and is_name(reference):
        shipped = shipped_scenarios()
        if reference not in shipped:
            raise ScenarioError(reference, f"no shipped scenario of this name; there are {', '.join(shipped)}")
        reference = shipped[reference]
    if not reference:
        return parse_scenario(default_scenario_text(providers), DEFAULT_SOURCE, providers, planned)
    path = Path(reference)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(path), f"cannot read the scenario: {getattr(exc, 'strerror', None) or exc}") from exc
    return parse_scenario(text, str(path), providers, planned, path=path)


def parse_scenario(text: str, source: str, providers, planned: tuple[str, ...] = (),
                   path: Path | None = None) -> Scenario:
    """Validate scenario text; `source` names it in errors (a file name, or
    "<request body>"). Sections for `planned` providers (not served yet) are
    accepted and ignored; any other unknown key is an error, so typos do not
    pass silently."""
    root, raw = _compose(text, source)
    if not isinstance(raw, dict):
        raise ScenarioError(source, "a scenario is a mapping (name, description, one section per provider)",
                            _line(root))
    by_name = {p.name: p for p in providers}
    for key in raw:
        if key not in ("name", "description", *by_name, *planned):
            raise ScenarioError(source, f"unknown section; expected one of {sorted(by_name)}",
                                _key_line(root, key), str(key))
    sections, mistakes = {}, []
    for name, provider in by_name.items():
        section = raw.get(name)
        if section is None:
            section = {}
        try:
            sections[name] = provider.scenario_schema().load(section)
        except ValidationError as exc:  # every section's mistakes are told at once
            mistakes += _located(root, name, exc.messages)
    if mistakes:
        mistakes.sort(key=lambda item: item[0] or 0)
        (line, field, message), more = mistakes[0], mistakes[1:]
        raise ScenarioError(source, message, line, field, more=tuple(more))
    return Scenario(name=str(raw.get("name") or (path.stem if path else "scenario")), path=path,
                    description=str(raw.get("description") or ""), sections=sections, text=text, document=raw,
                    source=source, lines={name: _key_line(root, name) for name in by_name})


def _compose(text: str, source: str) -> tuple[Any, Any]:
    """(node tree, data) of a YAML document, with PyYAML's safe loader: its
    libyaml one when built with it (the default scenario in 3 ms, not 24 ms of
    start-up); a document it refuses is read again by the pure-Python one, so
    the mistake is told the same way either way."""
    if getattr(yaml, "CSafeLoader", None) is not None:
        try:
            return _compose_with(yaml.CSafeLoader, text, source)
        except (ScenarioError, yaml.YAMLError):
            pass
    return _compose_with(yaml.SafeLoader, text, source)


def _compose_with(loader_class, text: str, source: str) -> tuple[Any, Any]:
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, {}
        _check_size(root, source)
        return root, loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ScenarioError(source, f"not valid YAML: {exc.problem or exc.context}",
                            mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(source, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()


def _check_size(root, source: str) -> None:
    sizes: dict[int, int] = {}

    def size(node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # a recursive alias counts once
        if isinstance(node, yaml.MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total = 1 + sum(size(v) for v in node.value)
        else:
            total = 1
        sizes[id(node)] = total
        return total

    if size(root) > MAX_NODES:
        raise ScenarioError(source, f"the document expands to more than {MAX_NODES} values", _line(root))


def _line(node) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def _key_line(mapping, key) -> int | None:
    for key_node, _ in getattr(mapping, "value", ()):
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(key):
            return _line(key_node)
    return _line(mapping)


def _child(node, step):
    """(the node `step` names under `node`, the line to report) or (None, None)."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                return value_node, _line(key_node)
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return node.value[step], _line(node.value[step])
    return None, None


def _flatten(messages, path=()) -> list[tuple[tuple, str]]:
    """marshmallow's nested messages as (path, first message) pairs."""
    if isinstance(messages, Mapping):
        return [pair for key, value in messages.items() for pair in _flatten(value, (*path, key))]
    if isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages):
        return [(path, messages[0])]
    if isinstance(messages, list):
        return [pair for value in messages for pair in _flatten(value, path)]
    return [(path, str(messages))]


def _located(root, section: str, messages) -> list[tuple[int | None, str, str]]:
    """Each of a section's mistakes, located: (line, field, message)."""
    found = []
    for path, message in _flatten(messages):
        node, line = _child(root, section)
        line = line or _line(root)
        names = [section]
        for step in path:
            if step == "_schema":
                continue
            child, child_line = _child(node, step)
            # "key"/"value": marshmallow's Dict errors; a missing field: the mapping's line
            if step in ("key", "value") and child is None:
                continue
            names.append(f"[{step}]" if isinstance(step, int) else f".{step}")
            if child is not None:
                node, line = child, child_line
        found.append((line or 0, "".join(names), message))
    return [(line or None, name, message) for line, name, message in found]
