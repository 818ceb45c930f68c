"""The toy provider's valid calls, for the provider-neutral tests."""

from __future__ import annotations

import itertools

from tests.harness import Call, Harness
from tests.toy.provider import KEY, provider


class ToyHarness(Harness):
    provider = provider
    _guests = itertools.count(1)

    def calls(self, client):
        key = {"x-toy-key": KEY}
        return {("post", "/v1/greetings"): Call("post", "/toy/v1/greetings", {"name": "Ada", "language": "en"},
                                                headers=key),
                ("get", "/v1/greetings/{greeting_id}"): Call("get", "/toy/v1/greetings/1", headers=key)}

    def event_call(self, client):
        return Call("post", "/toy/v1/greetings", {"name": f"Guest{next(self._guests)}", "language": "en"},
                    headers={"x-toy-key": KEY})

    def credentials(self, client, method, path):
        return {"x-toy-key": KEY}
