"""P100's Api: its document, who calls (a partner, by its x-api-key), its
controls' tenant (the partner), and the converter of an externalUserId in a
path that a fixed endpoint shares."""

from __future__ import annotations

from flask import Request
from werkzeug.routing import BaseConverter

from sandbox.core.api import Api, Security
from sandbox.core.controls import TenantControls
from sandbox.core.faults import FaultShapes
from sandbox.core.openapi import ApiDocument
from sandbox.providers.p100 import constants as k
from sandbox.providers.p100 import errors as e
from sandbox.providers.p100 import events
from sandbox.providers.p100.replies import reply
from sandbox.providers.p100.runtime import P100Runtime
from sandbox.providers.p100.services.partners import Partner

NAME = "p100"


api = Api(
    name=NAME,
    errors=e.P100Error,
    reply=reply,
    document=ApiDocument(
        title="P100 Partner API: User Operations (fintech-sandbox)",
        version="v1",
        description=(
            "The User Operations module of P100's Partner API as fintech-sandbox serves it, over one ledger per "
            "API key. Amounts are strings with each currency's decimals (eur 0.00, btc 0.00000000); requests "
            "take numbers or decimal strings. Every operation and error code lists its provenance: `documented` "
            "(see x-source), `inferred` (the docs are silent; fintech-sandbox chose it), or `sandbox`."
        ),
        server_url=f"/{NAME}",
        security_schemes={"apiKey": {"type": "apiKey", "in": "header", "name": k.API_KEY_HEADER}},
        extensions={"x-error-codes": e.CODES.entries(), "x-webhooks": {
            "delivery": events.WEBHOOKS.description, "x-source": events.WEBHOOKS_DOC,
            "events": [callback.entry() for callback in events.CALLBACKS]}},
    ),
    fault_shapes=FaultShapes({429: e.TOO_MANY_REQUESTS, 503: e.OUTAGE}),
)


def partner(runtime: P100Runtime, request: Request) -> Partner:
    """A call's caller: the partner whose x-api-key the scenario knows (the header's name in any case)."""
    found = runtime.partners.of(request.headers.get(k.API_KEY_HEADER))
    if found is None:
        raise e.P100Error.of(e.ACCESS_DENIED)
    return found


API_KEY = Security([{"apiKey": []}], check=partner, raises=(e.ACCESS_DENIED,))
#: core's controls (a tenant's reset): the partner's API key, which is its tenant
CONTROLS = TenantControls(API_KEY, tenant=lambda caller: caller)


# -- path parameters that share a path with a fixed endpoint -------------------------------------


class ExternalUserIdConverter(BaseConverter):
    """An externalUserId in a path where a fixed endpoint has the same shape
    (GET /v1/user/balances/<id> beside POST .../crypto-and-fiat, DELETE
    /v1/user/<id> beside POST /v1/user/verification): those literal segments
    are the fixed endpoint's, so such a URL answers only its methods (and
    405 for the others, with an Allow header listing just them)."""

    regex = "(?!(?:" + "|".join(k.RESERVED_USER_IDS) + ")$)[^/]+"


USER_ID = "externaluser"  # the converter's name in route rules: <externaluser:external_user_id>
api.blueprint.record_once(lambda state: state.app.url_map.converters.setdefault(USER_ID, ExternalUserIdConverter))
