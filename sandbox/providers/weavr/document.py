"""Weavr's document: path parameters are written from the Flask rule (a
string, or an integer); `path_patterns` adds the pattern a string one must
match."""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.core.openapi import ApiDocument


@dataclass
class WeavrDocument(ApiDocument):
    path_patterns: dict[str, str] = field(default_factory=dict)

    def _build(self) -> dict:
        document = super()._build()
        for item in document["paths"].values():
            for parameter in item.get("parameters", ()):
                if parameter["in"] == "path" and parameter["name"] in self.path_patterns:
                    parameter["schema"]["pattern"] = self.path_patterns[parameter["name"]]
        return document
