"""The registry of providers the sandbox serves: one line each, its name and
the pytest fixtures its Kit declares. The names are written here so that the
pytest plugin can register the fixtures without importing any provider (a
session that never asks for the sandbox pays nothing);
tests/core/test_plugin_start.py holds them equal to each Kit's own."""

from __future__ import annotations

import importlib

BUILT_IN = {
    "ibanera": ("ibanera_client",),
    "p100": ("p100_client",),
    "weavr": ("weavr_client", "weavr_consumer"),
    "prozora": ("prozora_client",),
}

#: providers whose scenario sections are accepted (and ignored) until they are served
PLANNED = ()


def __getattr__(name: str):
    """PROVIDERS, each built-in provider's declaration, imported on first use (PEP 562)."""
    if name != "PROVIDERS":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    providers = tuple(importlib.import_module(f"{__name__}.{built_in}").provider for built_in in BUILT_IN)
    globals()["PROVIDERS"] = providers
    return providers
