"""What a Weavr webhook test checks, written from Weavr's official webhooks
spec (tests/weavr/spec/webhooks-consumers.openapi.yml, verbatim), not from
the sandbox's code: each body valid against its event's schema, and both
signatures recomputed by the spec's formula with the api-key."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache
from pathlib import Path

import yaml
from openapi_schema_validator import OAS31Validator

from sandbox.testing.receiver import Received

SPEC = Path(__file__).parent / "spec" / "webhooks-consumers.openapi.yml"
#: each event's path and the schema of its body [spec]
SCHEMAS = {"/consumers/kyc/watch": "KycEvent", "/consumers/consumer_activated/watch": "IdentityActivatedEvent",
           "/consumers/consumer_deactivated/watch": "IdentityDeactivatedEvent", "/fees/watch": "ChargeFeeEvent",
           "/login/watch": "LoginEvent"}


@cache
def _document() -> dict:
    return yaml.safe_load(SPEC.read_text())


def validator(schema: str) -> OAS31Validator:
    """A validator of one of the spec's component schemas (its $refs resolved in the spec)."""
    return OAS31Validator({"$ref": f"#/components/schemas/{schema}", "components": _document()["components"]})


def assert_valid(delivery: Received) -> dict:
    """The delivery's body, valid against its path's schema (and strict: no key the schema does not name)."""
    document = _document()
    assert delivery.path in document["webhooks"], delivery.path
    body = delivery.json
    validator(SCHEMAS[delivery.path]).validate(body)
    declared = document["components"]["schemas"][SCHEMAS[delivery.path]]["properties"]
    assert set(body) <= set(declared), set(body) - set(declared)
    return body


def hmac_b64(key: str, message: str) -> str:
    return base64.b64encode(hmac.new(key.encode(), message.encode(), hashlib.sha256).digest()).decode()


def assert_signed(delivery: Received, api_key: str) -> None:
    """signature = base64(HmacSHA256(published-timestamp)), signature-v2 =
    base64(HmacSHA256(call-ref + payload + published-timestamp)), keyed with
    the api-key [spec]; published-timestamp is epoch milliseconds."""
    call_ref, timestamp = delivery.header("call-ref"), delivery.header("published-timestamp")
    assert call_ref and timestamp and timestamp.isdigit() and len(timestamp) == 13, delivery.headers
    assert delivery.header("signature") == hmac_b64(api_key, timestamp)
    assert delivery.header("signature-v2") == hmac_b64(api_key, call_ref + delivery.body.decode() + timestamp)
