"""Virtual cards: documented as suspended ("All associated endpoints are
disabled and will return an error if called"). Every card endpoint the
docs and third-party clients name answers that error, never 404. Bodies
are not read: the module is off whatever is sent.

So the document declares no success for them: their one answer is the
documented error, 400 P480 (the route's `status` is that answer's, and
`ok` its body). Their examples are requests a partner would send; the
answer is that error."""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from sandbox.core.errors import INFERRED
from sandbox.core.openapi import Example
from sandbox.providers.p100 import errors as e
from sandbox.providers.p100 import examples as ex
from sandbox.providers.p100 import schemas as s
from sandbox.providers.p100.api import API_KEY, api

CARD_ENDPOINTS = (  # (method, path, summary) [3P] paths from third-party client code (reference 4.28)
    ("POST", "/v1/card/virtual", "Create virtual card"),
    ("GET", "/v1/card/all/<external_user_id>", "List user's cards"),
    ("GET", "/v1/card/details/<external_user_id>/<card_id>", "Get card details"),
    ("PATCH", "/v1/card/pin", "Change card PIN"),
    ("PATCH", "/v1/card/block", "Block card"),
    ("PATCH", "/v1/card/unblock", "Unblock card"),
    ("GET", "/v1/card/limits/<external_user_id>/<card_id>", "Get card limits"),
    ("PATCH", "/v1/card/limits", "Update card limits"),
    ("DELETE", "/v1/card", "Delete card"),
)


def offline(name: str) -> Callable[[], NoReturn]:
    """A card endpoint's handler: the module is suspended, whatever is sent (P480)."""

    def handler() -> NoReturn:
        raise e.P100Error.of(e.CARDS_OFFLINE)

    handler.__name__ = name  # the operationId
    return handler


for method, path, summary in CARD_ENDPOINTS:
    name = "card_" + "_".join(part for part in path.split("/")[3:] if not part.startswith("<")) + f"_{method.lower()}"
    example = Example(path={param: value for param, value in (("external_user_id", ex.USER), ("card_id", ex.CARD_ID))
                            if f"<{param}>" in path})
    api.route(path, method=method, summary=f"{summary} (offline)", security=API_KEY, tags=("Virtual cards",),
              provenance=INFERRED, source=e.SEED_DOC, status=e.CARDS_OFFLINE.status,
              ok=(s.P100ErrorSchema, "The card module is offline: P480, whatever is sent"),
              description="All Virtual Card services are temporarily suspended (documented: every card endpoint "
                          "\"will return an error if called\"): always 400 P480, never a success.",
              raises=(e.CARDS_OFFLINE,), example=example)(offline(name))
