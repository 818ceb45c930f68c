"""What the provider-neutral tests (tests/core) need from each provider: a
valid call of every operation of its document, after preparing the state
that call needs. A new provider adds a Harness in its own test folder and a
line in tests/conftest.py; the generic tests then cover it."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

from sandbox.core.provider import Provider

#: a webhook endpoint that refuses every connection (port 9, discard: nothing listens)
DEAD_RECEIVER = "http://127.0.0.1:9/hooks"
NO_DELIVERY = "00000000-0000-4000-8000-000000000000"

# A 1x1 PNG: the smallest image an upload check accepts
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: dict | None = None
    query: dict | None = None
    headers: dict = field(default_factory=dict)
    #: the status a valid call answers when the provider has switched the
    #: operation off (it still answers, in its envelope); None: a 2xx
    refused: int | None = None
    #: what the call needs first, run before it is sent; it returns the path to send to
    #: (e.g. a webhook delivery to redeliver: an event is made, its id goes in the path)
    prepare: Callable | None = None

    def succeeded(self, response) -> bool:
        if self.refused is not None:
            return response.status_code == self.refused
        return 200 <= response.status_code < 300

    def send(self, client, *, body=None, query=None, **kwargs):
        path = self.prepare(client) if self.prepare else self.path
        return client.open(path, method=self.method.upper(), json=self.body if body is None else body,
                           query_string=self.query if query is None else query, headers=self.headers, **kwargs)


class Harness(ABC):
    provider: Provider

    @abstractmethod
    def calls(self, client) -> dict[tuple[str, str], Call]:
        """A valid call of every operation of the provider's own, keyed by
        (method, path as the document names it); core's controls are added
        by every_call."""

    def event_call(self, client) -> Call | None:
        """A valid call that makes the provider emit a webhook event (for a
        provider with webhooks)."""
        return None

    def every_call(self, client) -> dict[tuple[str, str], Call]:
        """A valid call of every operation of the document: the provider's, then core's controls."""
        return {**self.calls(client), **self.control_calls(client)}

    def control_calls(self, client) -> dict[tuple[str, str], Call]:
        """Valid calls of core's controls (core/controls.py), with the
        credentials of the default scenario's first tenant."""
        provider = self.provider
        controls = provider.api.tenant_controls
        documented = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", controls.scope)
        scope = documented.format(**controls.example.path)
        base = f"/_sandbox/{provider.name}{scope}"
        headers = self.credentials(client, "post", f"{documented}/reset")
        calls = {("post", f"{documented}/reset"): Call("post", f"{base}/reset", headers=headers),
                 ("get", f"{documented}/journal"): Call("get", f"{base}/journal", headers=headers,
                                                         query={"limit": 10}),
                 ("post", f"{documented}/journal/count"): Call("post", f"{base}/journal/count", {"method": "GET"},
                                                               headers=headers),
                 ("delete", f"{documented}/journal"): Call("delete", f"{base}/journal", headers=headers),
                 ("post", f"{documented}/faults"): Call("post", f"{base}/faults", {
                     "path": f"/{provider.name}/no-such-path", "kind": "unavailable", "times": 1}, headers=headers),
                 ("get", f"{documented}/faults"): Call("get", f"{base}/faults", headers=headers),
                 ("delete", f"{documented}/faults"): Call("delete", f"{base}/faults", headers=headers),
                 ("delete", f"{documented}/faults/{{fault_id}}"): Call("delete", f"{base}/faults/{NO_DELIVERY}",
                                                                       headers=headers)}
        if provider.outcomes:
            kind = provider.outcomes[0]
            calls[("get", f"{documented}/outcomes")] = Call("get", f"{base}/outcomes", headers=headers)
            calls[("put", f"{documented}/outcomes")] = Call("put", f"{base}/outcomes", headers=headers, body={
                kind.name: {"progression": "after", "delay": "PT1H", "outcome": kind.outcomes[-1]}})
        if provider.webhooks is not None:
            endpoint = {"url": DEAD_RECEIVER, "secret": "whsec-harness"}
            calls[("get", f"{documented}/webhooks")] = Call("get", f"{base}/webhooks", headers=headers)
            calls[("put", f"{documented}/webhooks")] = Call("put", f"{base}/webhooks", endpoint, headers=headers)
            calls[("delete", f"{documented}/webhooks")] = Call("delete", f"{base}/webhooks", headers=headers)
            calls[("get", f"{documented}/webhooks/deliveries")] = Call(
                "get", f"{base}/webhooks/deliveries", headers=headers, query={"limit": 10})

            def a_delivery(client) -> str:
                """An event of the tenant's, sent to an endpoint: the path of its redelivery."""
                client.put(f"{base}/webhooks", json=endpoint, headers=headers)
                event = self.event_call(client)
                assert event is not None, f"{provider.name} has webhooks: its harness names an event_call"
                assert event.succeeded(event.send(client)), "the event call failed"
                listed = client.get(f"{base}/webhooks/deliveries", headers=headers).get_json()
                deliveries = listed.get("details", listed)["deliveries"] if isinstance(listed, dict) else []
                return f"{base}/webhooks/deliveries/{deliveries[0]['id']}/redeliver"

            calls[("post", f"{documented}/webhooks/deliveries/{{delivery_id}}/redeliver")] = Call(
                "post", f"{base}/webhooks/deliveries/{NO_DELIVERY}/redeliver", headers=headers, prepare=a_delivery)
        return calls

    @abstractmethod
    def credentials(self, client, method: str, path: str) -> dict[str, str]:
        """The headers a caller of the default scenario sends to this
        operation (method, path as the document names it), obtained the way
        a partner would (logging in where the provider wants a login)."""


def stored_records(sandbox) -> int:
    """How many records the whole store holds (to check nothing was stored)."""
    return sandbox.store.count()
