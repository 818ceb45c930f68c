"""A tiny fifth provider, to prove that a provider is one folder plus one
registry line: one endpoint, its own envelope, two domain codes, a default
scenario section (default.yaml beside this file) and a Kit with one plugin
fixture (`toy_client`). Everything else (OpenAPI, provenance, transport
errors in its envelope, robustness, a tenant's reset under /_sandbox/toy,
the pytest plugin's fixtures) comes from core. The registry lines: the
tests' one in tests/conftest.py; the pytest plugin's `sandbox_providers =
tests.toy.provider:provider` (tests/toy/test_plug_in.py).

    POST /toy/v1/greetings  {"name": "Ada", "language": "en"}  with x-toy-key
    -> 201 {"greeting": {"id": 1, "name": "Ada", "text": "Hello, Ada"}}
    errors: {"problem": {"code": "...", "field": "..."}}
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import ClassVar

import httpx
from flask import jsonify
from marshmallow import Schema, fields, validate

from sandbox.core.api import Api, Security
from sandbox.core.context import Context, ProviderRuntime
from sandbox.core.controls import TenantControls
from sandbox.core.errors import INFERRED, SANDBOX, Catalogue, Envelope, TransportCodes
from sandbox.core.fields import Choice, text
from sandbox.core.kit import Kit, closing, fixture
from sandbox.core.openapi import ApiDocument, Example
from sandbox.core.outcomes import Kind, Magic, Outcome, outcome_schema
from sandbox.core.provider import Provider
from sandbox.core.schemas import ApiSchema
from sandbox.core.store import Collection, Index, UniqueViolation
from sandbox.core.webhooks import Event, Target, TargetSchema, WebhookPolicy

KEY, KEY_2 = "toy-key", "toy-key-2"


class ToyEnvelope(Envelope):
    schema_name = "ToyProblemSchema"
    description = "a toy problem."
    code_key = "code"
    field_key = "field"

    def render(self, problems, status):
        first = problems[0]
        return {"problem": {"code": first.condition.code, "field": first.field}}

    def codes_in(self, body):
        return [body["problem"]["code"]]


class ToyProblemSchema(Schema):
    problem = fields.Dict()


CODES = Catalogue("toy", ToyEnvelope())
BAD_FIELD = CODES.add("bad_field", 400, "A field is missing or invalid.", INFERRED)
NAME_TAKEN = CODES.add("name_taken", 409, "This key already greeted this name.", SANDBOX, field="name")
UNKNOWN_KEY = CODES.add("unknown_key", 401, "x-toy-key is missing or wrong.", SANDBOX, field="x-toy-key")
ToyError = CODES.error_class("ToyError", TransportCodes(
    not_found=CODES.add("no_route", 404, "No such endpoint.", SANDBOX),
    method_not_allowed=CODES.add("wrong_method", 405, "Not with this method.", SANDBOX),
    too_large=CODES.add("too_large", 413, "Body too large.", SANDBOX),
    unsupported_media_type=CODES.add("not_json", 415, "Send JSON.", SANDBOX),
    malformed_json=CODES.add("bad_json", 400, "The body is not a JSON object.", SANDBOX),
    bad_request=BAD_FIELD,
    unexpected=CODES.add("bug", 500, "A sandbox bug.", SANDBOX),
))



class GreetingRequest(ApiSchema):
    ERRORS = ToyError
    FALLBACK = BAD_FIELD
    MESSAGE_CODES: ClassVar = {}
    name = text(20)
    language = Choice(("en", "fr"), required=True)


class GreetingReply(Schema):
    greeting = fields.Dict()


def reply(result, status):
    response = jsonify(result)
    response.status_code = status
    return response


def check_key(runtime, request):
    key = request.headers.get("x-toy-key")
    if key not in (KEY, KEY_2):
        raise ToyError.of(UNKNOWN_KEY)
    return key


api = Api(name="toy", errors=ToyError, reply=reply,
          document=ApiDocument(title="Toy", version="1", description="A toy provider.", server_url="/toy",
                               security_schemes={"key": {"type": "apiKey", "in": "header", "name": "x-toy-key"}},
                               extensions={"x-error-codes": CODES.entries()}))


@dataclass
class ToyRuntime(ProviderRuntime):
    greetings: Collection


def build(context: Context) -> ToyRuntime:
    return ToyRuntime(context, context.store.collection("toy.greetings", (Index("name", ("name",), unique=True),)))


KEY_CHECK = Security([{"key": []}], check=check_key, raises=(UNKNOWN_KEY,))


class ToyWebhooks(WebhookPolicy):
    """The toy signs each body with HMAC-SHA256 of its secret (hex, x-toy-signature)."""

    retries = (timedelta(seconds=10), timedelta(seconds=20), timedelta(seconds=40))
    description = "x-toy-signature: hex HMAC-SHA256 of the body with the secret; retried after 10, 20 and 40 s."

    def headers(self, body: bytes, target: Target, message_id: str, published: datetime) -> dict[str, str]:
        return {"x-toy-signature": hmac.new(target.secret.encode(), body, hashlib.sha256).hexdigest(),
                "x-toy-event-id": message_id}


APPROVAL = Kind("approval", "A greeting's approval, decided later.", ("APPROVED", "REJECTED"),
                reasons={"REJECTED": "NOT_NICE"})
MAGIC = (Magic("name", "ends with -rejected", "the greeting's approval is REJECTED"),)


@api.route("/v1/greetings", method="POST", summary="Greet someone", status=201, body=GreetingRequest,
           security=KEY_CHECK, ok=(GreetingReply, "Greeted"),
           raises=(NAME_TAKEN,), provenance=SANDBOX, example=Example(body={"name": "Ada", "language": "en"}))
def greet(runtime: ToyRuntime, caller: str, body: dict) -> dict:
    hello = {"en": "Hello", "fr": "Bonjour"}[body["language"]]
    text = f"{hello}, {body['name']}"
    try:
        greeting_id = runtime.greetings.insert(caller, {"name": body["name"], "text": text, "approval": "PENDING"})
    except UniqueViolation:
        raise ToyError.of(NAME_TAKEN) from None
    context = runtime.context
    context.callbacks.emit(caller, Event("GREETED", {"id": greeting_id, "name": body["name"], "text": text}))

    def decide(outcome: Outcome) -> None:
        runtime.greetings.update(caller, greeting_id, {"approval": outcome.outcome})
        context.callbacks.emit(caller, Event("APPROVAL_DECIDED", {"id": greeting_id, "approval": outcome.outcome,
                                                                  "reason": outcome.reason}, path="/approvals"))

    magic = "REJECTED" if body["name"].endswith("-rejected") else None
    context.outcomes.plan(caller, "approval", f"greeting {greeting_id}", decide, outcome=magic)
    return {"greeting": runtime.greetings.get(caller, greeting_id)}


@api.route("/v1/greetings/<int:greeting_id>", method="GET", summary="Read a greeting", security=KEY_CHECK,
           ok=(GreetingReply, "The greeting"), provenance=SANDBOX, example=Example(path={"greeting_id": 1}))
def read_greeting(runtime: ToyRuntime, caller: str, greeting_id: int) -> dict:
    found = runtime.greetings.get(caller, greeting_id)
    if found is None:
        raise ToyError.of(CODES.transport.not_found)
    return {"greeting": found}


def load_scenario(runtime: ToyRuntime, section: dict) -> None:
    for name in section["greetings"]:
        runtime.greetings.insert(KEY, {"name": name, "text": f"Hello, {name}", "approval": "APPROVED"})
    if section.get("webhooks"):
        runtime.context.callbacks.configure(KEY, section["webhooks"]["url"], section["webhooks"]["secret"])
    if section.get("outcomes"):
        runtime.context.outcomes.set(KEY, section["outcomes"])


class ToyKit(Kit):
    name = "toy"

    @property
    def credentials(self) -> list[dict]:
        return [{"key": KEY}]

    def client(self, key: str = KEY) -> httpx.Client:
        return self._client(headers={"x-toy-key": key})

    def tenant_auth(self) -> tuple[dict, str]:
        return {"x-toy-key": KEY}, ""

    def verify_webhook(self, headers: dict[str, str], body: bytes, secret: str | None = None) -> bool:
        signature = next((v for k, v in headers.items() if k.lower() == "x-toy-signature"), "")
        expected = hmac.new((secret or self.WEBHOOK_SECRET).encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(signature, expected)

    @fixture
    def toy_client(self) -> Iterator[httpx.Client]:
        """httpx.Client at <url>/toy with the toy key."""
        yield from closing(self.client())


provider = Provider(
    api=api, build=build, load_scenario=load_scenario, credentials=lambda section: [f"x-toy-key {KEY}"],
    scenario_schema=Schema.from_dict({
        "greetings": fields.List(fields.String(validate=validate.Length(1, 20)), load_default=list),
        "webhooks": fields.Nested(TargetSchema, load_default=None),
        "outcomes": fields.Nested(outcome_schema((APPROVAL,)), load_default=None)}),
    default_scenario=Path(__file__).with_name("default.yaml"), kit=ToyKit,
    controls=TenantControls(KEY_CHECK, tenant=lambda caller: caller),
    webhooks=ToyWebhooks(), outcomes=(APPROVAL,), magic=MAGIC,
)
