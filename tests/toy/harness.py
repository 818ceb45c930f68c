"""The toy provider's valid calls, for the provider-neutral tests."""

from __future__ import annotations

from tests.harness import Call, Harness
from tests.toy.provider import KEY, provider


class ToyHarness(Harness):
    provider = provider

    def calls(self, client):
        return {("post", "/v1/greetings"): Call("post", "/toy/v1/greetings", {"name": "Ada", "language": "en"},
                                                headers={"x-toy-key": KEY})}

    def credentials(self, client, method, path):
        return {"x-toy-key": KEY}
