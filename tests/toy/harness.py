"""The toy provider's valid calls, for the provider-neutral tests."""

from __future__ import annotations

from tests.harness import Call, Harness
from tests.toy.provider import KEY, provider


class ToyHarness(Harness):
    provider = provider

    def calls(self, client):
        key = {"x-toy-key": KEY}
        return {("post", "/v1/greetings"): Call("post", "/toy/v1/greetings", {"name": "Ada", "language": "en"},
                                                headers=key),
                ("post", "/reset"): Call("post", "/_sandbox/toy/reset", headers=key)}

    def credentials(self, client, method, path):
        return {"x-toy-key": KEY}
