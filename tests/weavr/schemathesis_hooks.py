"""Schemathesis hooks for Weavr (loaded through SCHEMATHESIS_HOOKS by
tests/schemathesis_cli.py), talking to the server under test (SANDBOX_URL).

Credentials, as a partner of the default scenario has them: the api-key
(also the simulator's programme-key) and, for the operations that want a user
token, a bearer token of the scenario's consumer who can log in (Ada): her
login (auth) token for the access-token exchange, the access token it buys for
the consumer operations. They come from `@schemathesis.auth()`, so the
`ignored_auth` check can strip them; every case gets them, negative ones too,
so that those reach validation.

What OpenAPI cannot say, each operation's description says in words; for
positive cases (outside the stateful phase, where links give the values) the
`before_call` hook below makes them true: a fresh, unique email; the
scenario's profile, countries, currencies, fee groups and fee types; ids of
records that exist and are in the state the operation needs; a password the
password policy accepts; the sandbox's verification code 123456; a fresh
idempotency-ref (the same one with another payload is a 400); a fee charge
to read or to complete; and what core's controls' bodies cannot say (an
`after` outcome names its delay, a webhook URL is an http URL, a fault's
fields go with its kind). Negative cases are left as generated."""

from __future__ import annotations

import itertools
import uuid
from pathlib import Path

import schemathesis
import yaml
from schemathesis import GenerationMode

from sandbox.providers.weavr import examples as x
from tests.schemathesis_hooks import aim_at_own_server, call, core_control_valid

# the default scenario's values (the server under test serves it), for its first api-key
SCENARIO = yaml.safe_load((Path(__file__).parents[2] / "sandbox/providers/weavr/default.yaml").read_text())
PARTNER = SCENARIO["api_keys"][0]
KEY, PROFILE = PARTNER["api_key"], PARTNER["consumer_profile_id"]
CURRENCIES, COUNTRIES = tuple(SCENARIO["currencies"]), set(SCENARIO["countries"])
FEE_GROUPS, FEE_TYPES = tuple(PARTNER["fee_groups"]), tuple(PARTNER["fees"])
MULTI, CONTROL = "/weavr/multi", "/_sandbox/weavr"
_serial = itertools.count(1)


def _key() -> dict:
    return {"api-key": KEY}


# -- credentials -------------------------------------------------------------------------
class Session:
    """Ada's tokens, from a login and an access-token exchange; taken again
    after a reset of the api-key's records (which forgets tokens)."""

    tokens: dict | None = None

    @classmethod
    def get(cls) -> dict:
        if cls.tokens is None:
            status, login = call("POST", f"{MULTI}/login_with_password",
                                 {"email": x.ADA_EMAIL, "password": {"value": x.PASSWORD}}, _key())
            assert status == 200, (status, login)
            status, access = call("POST", f"{MULTI}/access_token", {"identity": {"type": "CONSUMER", "id": x.ADA}},
                                  {**_key(), "Authorization": f"Bearer {login['token']}"})
            assert status == 200, (status, access)
            cls.tokens = {"auth": login["token"], "access": access["token"]}
        return cls.tokens


@schemathesis.auth(refresh_interval=None)
class WeavrAuth:
    def get(self, case, context):
        return Session.get()

    def set(self, case, tokens, context):
        schemes = {name for requirement in context.operation.definition.raw.get("security", ())
                   for name in requirement}
        headers = dict(case.headers or {})
        if "api-key" in schemes:
            headers["api-key"] = KEY
        if "API_Secret_Key" in schemes:
            headers["programme-key"] = KEY
        if "auth_token" in schemes:
            kind = "auth" if context.operation.definition.raw.get("operationId") == "requestAccessToken" else "access"
            headers["Authorization"] = f"Bearer {tokens[kind]}"
        case.headers = headers


@schemathesis.hook
def after_call(context, case, response):
    if case.operation.path == "/reset" and response.status_code == 200:
        Session.tokens = None  # the reset forgot Ada's tokens


# -- state a positive case needs -------------------------------------------------------------
def fresh_email() -> str:
    return f"fuzz-{next(_serial)}-{uuid.uuid4().hex[:8]}@example.com"


def new_consumer() -> dict:
    """A consumer just created (no password, email not verified)."""
    status, consumer = call("POST", f"{MULTI}/consumers", {
        "profileId": PROFILE, "ipAddress": "127.0.0.1",
        "rootUser": {"name": "Fuzz", "surname": "Case", "email": fresh_email(),
                     "mobile": {"countryCode": "+44", "number": "7700900123"},
                     "dateOfBirth": {"year": 1990, "month": 1, "day": 1},
                     "address": {"country": "GB"}}}, _key())
    assert status == 200, (status, consumer)
    return consumer


def code_sent(consumer: dict) -> None:
    status, body = call("POST", f"{MULTI}/consumers/verification/email/send",
                        {"email": consumer["rootUser"]["email"]}, _key())
    assert status == 204, (status, body)


def kyc_initiated() -> dict:
    """A consumer whose KYC is INITIATED: password, verified email, KYC started."""
    consumer = new_consumer()
    cid, email = consumer["id"]["id"], consumer["rootUser"]["email"]
    status, password = call("POST", f"{MULTI}/passwords/{cid}/create", {"password": {"value": x.PASSWORD}}, _key())
    assert status == 200, (status, password)
    code_sent(consumer)
    status, body = call("POST", f"{MULTI}/consumers/verification/email/verify",
                        {"email": email, "verificationCode": "123456"}, _key())
    assert status == 204, (status, body)
    status, body = call("POST", f"{MULTI}/consumers/kyc", {},
                        {**_key(), "Authorization": f"Bearer {password['token']}"})
    assert status == 200, (status, body)
    return consumer


def policy_password(value) -> str:
    """The password policy (8-30 characters; a lowercase and an uppercase
    letter, a digit and a special character): kept if it holds, else made to."""
    value = value if isinstance(value, str) else ""
    classes = (any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value),
               any(not c.isalnum() for c in value))
    if 8 <= len(value) <= 30 and all(classes):
        return value
    return "Aa1!" + "x" * 4 + value[:22]


def _fit_common(body: dict, root: dict | None = None) -> None:
    """The scenario's profile, currencies, fee groups, countries; a known
    country calling code."""
    if "profileId" in body:
        body["profileId"] = PROFILE
    if body.get("baseCurrency") is not None and body["baseCurrency"] not in CURRENCIES:
        body["baseCurrency"] = "EUR"
    if body.get("feeGroup") is not None and body["feeGroup"] not in FEE_GROUPS:
        body["feeGroup"] = "DEFAULT"
    holder = body if root is None else root
    address = holder.get("address")
    if isinstance(address, dict) and address.get("country") not in COUNTRIES:
        holder["address"] = {**address, "country": "GB"}
    mobile = holder.get("mobile")
    if isinstance(mobile, dict):
        holder["mobile"] = {**mobile, "countryCode": "+44"}


def fee_charge(held: bool) -> int:
    """A fee charge of Ada's account; `held`: one the api-key's `fee` outcome holds (to complete)."""
    if held:
        status, body = call("PUT", f"{CONTROL}/outcomes", {"fee": {"progression": "manual"}}, _key())
        assert status == 200, (status, body)
    status, charge = call("POST", f"{MULTI}/consumers/fees/charge", {
        "feeType": FEE_TYPES[0], "source": {"type": "managed_accounts", "id": x.ADA_ACCOUNT}},
        {**_key(), "Authorization": f"Bearer {Session.get()['access']}"})
    assert status == 200, (status, charge)
    return int(charge["transactionId"]["id"])


def _business_valid(case) -> None:
    operation = case.operation.definition.raw.get("operationId")
    body = case.body if isinstance(case.body, dict) else None
    path = case.path_parameters
    stateful = case.meta is not None and case.meta.phase.name == "stateful"
    if case.headers and "idempotency-ref" in case.headers:
        case.headers["idempotency-ref"] = f"fuzz-{uuid.uuid4().hex}"
    if body is not None:
        case.body = body = core_control_valid(operation, body)
    if operation == "consumerCreate" and body:
        root = dict(body["rootUser"])
        root["email"] = fresh_email()
        _fit_common(body, root)
        body["rootUser"] = root
    elif operation == "consumerUpdate" and body is not None:
        if body.get("email") is not None:
            body["email"] = x.ADA_EMAIL  # an email change waits for verification: one per hour
        _fit_common(body)
    elif operation == "consumerRootUserEmailVerificationCodeSend" and body and not stateful:
        body["email"] = x.ADA_EMAIL
    elif operation == "consumerRootUserEmailVerify" and body:
        if not stateful:
            consumer = new_consumer()
            code_sent(consumer)
            body["email"] = consumer["rootUser"]["email"]
        body["verificationCode"] = "123456"
    elif operation == "consumerChargeFee" and body:
        if body.get("feeType") not in FEE_TYPES:
            body["feeType"] = FEE_TYPES[0]
        body["source"] = {"type": "managed_accounts", "id": x.ADA_ACCOUNT}
    elif operation == "passwordCreate" and body:
        if not stateful:
            path["user_id"] = new_consumer()["id"]["id"]
        body["password"] = {**body["password"], "value": policy_password(body["password"].get("value"))}
    elif operation == "loginWithPassword" and body:
        body["email"], body["password"] = x.ADA_EMAIL, {"value": x.PASSWORD}
    elif operation == "requestAccessToken" and body and not stateful:
        body["identity"] = {"type": "CONSUMER", "id": x.ADA}
    elif operation == "consumers_consumer_id_verify" and not stateful:
        path["consumer_id"] = int(new_consumer()["id"]["id"])
    elif operation == "set_kyc" and not stateful:
        path["consumer_id"] = int(kyc_initiated()["id"]["id"])
    elif operation == "open_managed_account" and body:
        if not stateful:
            path["consumer_id"] = int(x.ADA)
        if body.get("currency") not in CURRENCIES:
            body["currency"] = "GBP"
    elif operation in ("accounts_account_id_deposit", "get_managed_account") and not stateful:
        path["account_id"] = int(x.ADA_ACCOUNT)
    elif operation == "accounts_deposit" and body and not stateful:
        body.pop("destinationFasterPaymentsDetails", None)
        body["destinationIbanDetails"] = {"iban": x.ADA_IBAN}
    elif operation in ("get_fee_charge", "complete_fee_charge"):
        path["charge_id"] = fee_charge(held=operation == "complete_fee_charge")


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE:
        _business_valid(case)
    aim_at_own_server(case, kwargs)

