"""Weavr's document, with one correction to how apispec writes an optional
nested object for OpenAPI 3.0: it gives `anyOf: [{type: object, nullable:
true}, {$ref}]`, whose first branch admits ANY object (so the referenced
schema's `required` fields and bounds no longer bind). Such a field is the
referenced object or null, which 3.0 writes `allOf: [{$ref}]` with
`nullable: true`; that is what the server enforces (null counts as absent).

Path parameters are written from the Flask rule (a string, or an integer);
`path_patterns` adds the pattern a string one must match."""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.core.openapi import ApiDocument

_ANY_OBJECT_OR_NULL = {"type": "object", "nullable": True}


@dataclass
class WeavrDocument(ApiDocument):
    path_patterns: dict[str, str] = field(default_factory=dict)

    def _build(self) -> dict:
        document = _fix(super()._build())
        for item in document["paths"].values():
            for parameter in item.get("parameters", ()):
                if parameter["in"] == "path" and parameter["name"] in self.path_patterns:
                    parameter["schema"]["pattern"] = self.path_patterns[parameter["name"]]
        return document


def _fix(node):
    if isinstance(node, list):
        return [_fix(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _fix(value) for key, value in node.items()}
    branches = node.get("anyOf")
    if isinstance(branches, list) and len(branches) == 2 and _ANY_OBJECT_OR_NULL in branches:
        (target,) = [branch for branch in branches if branch != _ANY_OBJECT_OR_NULL]
        del node["anyOf"]
        node |= {"allOf": [target], "nullable": True}
    return node
