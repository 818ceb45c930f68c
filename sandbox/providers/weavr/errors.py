"""Weavr's error bodies and every code the sandbox answers with.

Weavr answers a different body per status [spec]:
  400  BadRequestError   {"message", "syntaxErrors": {"invalidFields": [{"params", "fieldName", "error"}]}}
  401  Unauthorized      no body, only the request-ref header
  403  Forbidden         {"errorCode": "INSUFFICIENT_PERMISSIONS"} (login and access_token: no body)
  409  per operation     {"errorCode": ...}
  default Error          {"code", "message"} (we use it for transport errors)
The simulator's 400 is ClientInvalidRequest {"message", "validation": {"invalid", "fields": [{"name",
"errors": [{"type", "params"}]}]}} and its default DefaultError {"message"}.

So each condition names its body `shape`; the envelope renders it. The 400
`error` codes are the spec's enum (REQUIRED, REGEX, SIZE, ...)."""

from __future__ import annotations

import uuid

from sandbox.core.errors import DOCUMENTED, INFERRED, SANDBOX, Catalogue, Envelope, Problem, TransportCodes
from sandbox.providers.weavr import constants as k

MULTI_SPEC = "https://github.com/api-evangelist/weavr/blob/main/openapi/_original/weavr-multi-openapi-original.yml"
SIMULATOR_SPEC = ("https://github.com/api-evangelist/weavr/blob/main/openapi/_original/"
                  "weavr-simulator-openapi-original.yml")
QA = "https://github.com/bunyaminozen1/Regression"
ACCESS_TOKEN_DOC = "https://docs.weavr.io/apis/authentication/access-token"

# body shapes
BAD_REQUEST, SIM_INVALID, CONFLICT, EMPTY, DEFAULT = "bad_request", "simulator_invalid", "conflict", "empty", "default"


class WeavrEnvelope(Envelope):
    schema_name = "WeavrErrorSchema"
    description = "Weavr's body for this status (see the provider description); 401 has none."
    code_key = "code"
    field_key = "fieldName"

    def render(self, problems: list[Problem], status: int) -> dict | None:
        first = problems[0].condition
        shape = first.extra.get("shape", DEFAULT)
        if shape == EMPTY:
            return None
        if shape == CONFLICT:
            return {"errorCode": first.code}
        if shape == BAD_REQUEST:
            return {"message": k.INVALID_REQUEST_MESSAGE, "syntaxErrors": {"invalidFields": [
                {"params": _params(p), "fieldName": p.field or "", "error": p.condition.code} for p in problems]}}
        if shape == SIM_INVALID:
            return {"message": k.INVALID_REQUEST_MESSAGE, "validation": {"invalid": True, "fields": [
                {"name": p.field or "", "errors": [{"type": p.condition.code, "params": _params(p)}]}
                for p in problems]}}
        return {"code": first.code, "message": first.when[:255]}

    def codes_in(self, body) -> list[str]:
        if not isinstance(body, dict):
            return []
        if "errorCode" in body:
            return [body["errorCode"]]
        if "syntaxErrors" in body:
            return [f["error"] for f in body["syntaxErrors"]["invalidFields"]]
        if "validation" in body:
            return [e["type"] for f in body["validation"]["fields"] for e in f["errors"]]
        return [body["code"]] if "code" in body else []

    def headers(self, problems: list[Problem], status: int) -> dict[str, str]:
        return {k.REQUEST_REF_HEADER: request_ref()}

    def bodiless(self, condition) -> bool:
        return condition.extra.get("shape") == EMPTY


def request_ref() -> str:
    return uuid.uuid4().hex


def _params(problem: Problem) -> list[str]:
    return [str(v) for v in (problem.params or {}).get("values", ())]


CODES = Catalogue("weavr", WeavrEnvelope())


def _field_codes(shape: str, source: str, prefix: str) -> dict[str, object]:
    when = {
        "REQUIRED": "A required field (or header) is missing or null.",
        "HAS_TEXT": "A required text field is blank.",
        "SIZE": "A string is shorter or longer than allowed; params are [min, max] ('_' for none).",
        "RANGE": "A number is out of range, or a date's day past its month's end; params are [min, max].",
        "IN": "A value is not one of the allowed values; params list them.",
        "REGEX": "A value does not match its pattern or format, has the wrong JSON type (null, for a field that "
                 "is not required), or holds a control character (U+0000-U+001F, U+007F: no text takes one).",
    }
    return {code: CODES.add(code, 400, f"{prefix}{text}", DOCUMENTED if code in ("REQUIRED", "REGEX", "SIZE")
                            else INFERRED, source=source, shape=shape)
            for code, text in when.items()}


# -- 400: field validation ------------------------------------------------------------
FIELD = _field_codes(BAD_REQUEST, f"{MULTI_SPEC} (BadRequestError; usage from {QA})", "")
REQUIRED, HAS_TEXT, SIZE, RANGE, IN, REGEX = (FIELD[c] for c in ("REQUIRED", "HAS_TEXT", "SIZE", "RANGE", "IN",
                                                                  "REGEX"))
# [QA] a missing api-key is the gateway's schema check (reference §2, Style 1), not a 401
API_KEY_REQUIRED = CODES.add("REQUIRED", 400, "The api-key header is missing.", DOCUMENTED,
                             source=f"{QA} (fieldName api-key, error REQUIRED)", field=k.API_KEY_HEADER,
                             shape=BAD_REQUEST)
SIM_FIELD = _field_codes(SIM_INVALID, f"{SIMULATOR_SPEC} (ClientInvalidRequest)", "Simulator: ")

# -- 401/403: security ----------------------------------------------------------------
API_KEY_UNAUTHORIZED = CODES.add("UNAUTHORIZED", 401, "The api-key is not one of the scenario's (no body).",
                                 DOCUMENTED, source=f"{MULTI_SPEC} (Unauthorized); {QA}", shape=EMPTY)
TOKEN_UNAUTHORIZED = CODES.add("UNAUTHORIZED", 401, "Authorization: Bearer token missing, unknown or idle for "
                               "more than 5 minutes (no body).", DOCUMENTED,
                               source=f"{MULTI_SPEC} (Unauthorized); {QA}", shape=EMPTY)
INSUFFICIENT_PERMISSIONS = CODES.add("INSUFFICIENT_PERMISSIONS", 403,
                                     "The token belongs to another api-key's identity.", DOCUMENTED,
                                     source=f"{MULTI_SPEC} (Forbidden); {QA}", shape=CONFLICT)
LOGIN_FORBIDDEN = CODES.add("FORBIDDEN", 403, "Unknown email, wrong password, no password yet, or the root "
                            "email is not verified (no body).", DOCUMENTED,
                            source=f"{MULTI_SPEC} (loginWithPassword 403); {QA}", shape=EMPTY)
ACCESS_TOKEN_FORBIDDEN = CODES.add("FORBIDDEN", 403, "The auth token is missing or not for this identity "
                                   "(no body).", DOCUMENTED, source=f"{MULTI_SPEC} (requestAccessToken 403)",
                                   shape=EMPTY)
# [QA] another innovator's api-key with this programme's profile is a 403
PROFILE_FORBIDDEN = CODES.add("INSUFFICIENT_PERMISSIONS", 403, "profileId is the consumer profile of another of the "
                              "scenario's api-keys (another innovator's programme).", DOCUMENTED,
                              source=f"{MULTI_SPEC} (Forbidden); {QA} "
                                     "(CreateConsumer_DifferentInnovatorApiKey_Forbidden)",
                              shape=CONFLICT)
PROGRAMME_KEY_UNAUTHORIZED = CODES.add("UNAUTHORIZED", 401, "Simulator: the programme-key header is missing or "
                                       "not one of the scenario's api-keys.", INFERRED, shape=DEFAULT)


def _conflict(code: str, when: str, provenance: str = DOCUMENTED, source: str | None = MULTI_SPEC):
    return CODES.add(code, 409, when, provenance, source=source, shape=CONFLICT)


# -- idempotency-ref: the statuses are Weavr's QA's (ChargeConsumerFeesTests); the bodies are inferred -----------
IDEMPOTENCY_REF_REUSED = CODES.add("NOT_IN", 400, "The idempotency-ref was used for this operation within 24 h with "
                                   "another payload (QA: 400; the code and field are inferred).", INFERRED,
                                   source=f"{QA} (ChargeConsumerFee_SameIdempotencyRefDifferentPayload)",
                                   field=k.IDEMPOTENCY_HEADER, shape=BAD_REQUEST)
IDEMPOTENCY_REF_TOO_LONG = CODES.add("IDEMPOTENCY_REF_TOO_LONG", 413, f"The idempotency-ref is longer than "
                                     f"{k.IDEMPOTENCY_REF_MAX} characters (QA: 413 for 8,000; the limit is "
                                     f"inferred).", INFERRED, source=f"{QA} (ChargeConsumerFee_LongIdempotencyRef)",
                                     shape=DEFAULT)

# -- 409: consumers ----------------------------------------------------------------------
PROFILE_NOT_FOUND = _conflict("PROFILE_NOT_FOUND", "profileId is not this api-key's consumer profile.")
ROOT_EMAIL_NOT_UNIQUE = _conflict("ROOT_EMAIL_NOT_UNIQUE", "A consumer of this api-key already has this email.")
CURRENCY_UNSUPPORTED = _conflict("CURRENCY_UNSUPPORTED", "baseCurrency is not one of the scenario's currencies.")
FEE_GROUP_INVALID = _conflict("FEE_GROUP_INVALID", "feeGroup is not one of the profile's fee groups.")
COUNTRY_INVALID = _conflict("COUNTRY_INVALID", "address.country is not an ISO 3166 alpha-2 country.")
COUNTRY_UNSUPPORTED = _conflict("COUNTRY_UNSUPPORTED", "address.country is not one of the scenario's countries.")
MOBILE_OR_COUNTRY_CODE_INVALID = _conflict("MOBILE_OR_COUNTRY_CODE_INVALID", "mobile.countryCode is not a country "
                                           "calling code.")
EMAIL_DOMAIN_NOT_ALLOWED = _conflict("EMAIL_DOMAIN_NOT_ALLOWED", "The email's domain is blocked by the scenario.")
CONSUMER_VERIFIED = _conflict("CONSUMER_VERIFIED", "KYC is approved: name, surname, email, mobile, dateOfBirth "
                              "and address can no longer change.")
EMAIL_NOT_UNIQUE = _conflict("EMAIL_NOT_UNIQUE", "Another consumer of this api-key has (or is changing to) "
                             "this email.")
TOO_FREQUENT_EMAIL_CHANGES = _conflict("TOO_FREQUENT_EMAIL_CHANGES", "An email change is already waiting for "
                                       "verification and was asked for less than an hour ago.")
EMAIL_NOT_FOUND = _conflict("EMAIL_NOT_FOUND", "No consumer of this api-key has (or is changing to) this email.")
VERIFICATION_CODE_INVALID = _conflict("VERIFICATION_CODE_INVALID", "The code is not 123456, no code was sent, "
                                      "the email is unknown or already verified.")
KYC_ALREADY_APPROVED = _conflict("KYC_ALREADY_APPROVED", "KYC is approved at this level or higher.")
KYC_PENDING_REVIEW = _conflict("KYC_PENDING_REVIEW", "KYC is pending review.")
KYC_REJECTED = _conflict("KYC_REJECTED", "KYC was rejected.")
EMAIL_UNVERIFIED = _conflict("EMAIL_UNVERIFIED", "The root user's email is not verified yet.")

# -- 409: fees -----------------------------------------------------------------------------
UNRESOLVED_FEE_TYPE = _conflict("UNRESOLVED_FEE_TYPE", "feeType is not one of the profile's fee types.")
UNRESOLVED_INSTRUMENT = _conflict("UNRESOLVED_INSTRUMENT", "No such managed account under this api-key (the "
                                  "sandbox has no managed cards).")
IDENTITY_NOT_OWNER_OF_INSTRUMENT = _conflict("IDENTITY_NOT_OWNER_OF_INSTRUMENT",
                                             "The managed account belongs to another consumer of this api-key.")
FEE_AMOUNT_NOT_SET = _conflict("FEE_AMOUNT_NOT_SET", "The fee type has no amount in the account's currency.")
FUNDS_INSUFFICIENT = _conflict("FUNDS_INSUFFICIENT", "The account's available balance is below the fee.")

# -- 409: passwords ------------------------------------------------------------------------
UNRESOLVED_IDENTITY = _conflict("UNRESOLVED_IDENTITY", "No consumer of this api-key has this user id.")
PASSWORD_TOO_SHORT = _conflict("PASSWORD_TOO_SHORT", "The password has fewer than 8 characters.")
PASSWORD_TOO_LONG = _conflict("PASSWORD_TOO_LONG", "The password has more than 30 characters.")
PASSWORD_TOO_SIMPLE = _conflict("PASSWORD_TOO_SIMPLE", "The password lacks a lowercase or uppercase letter, a digit "
                                "or a special character.")
PASSWORD_ALREADY_CREATED = _conflict("PASSWORD_ALREADY_CREATED", "The user already has a password.")

# -- simulator and sandbox controls ----------------------------------------------------------
CONSUMER_NOT_FOUND = CODES.add("CONSUMER_NOT_FOUND", 404, "No consumer with this id under this key.", INFERRED,
                               shape=DEFAULT)
ACCOUNT_NOT_FOUND = CODES.add("ACCOUNT_NOT_FOUND", 404, "No managed account with this id under this key.", SANDBOX,
                              shape=DEFAULT)
FEE_CHARGE_NOT_FOUND = CODES.add("FEE_CHARGE_NOT_FOUND", 404, "No fee charge with this id under this key.",
                                 SANDBOX, shape=DEFAULT)
FEE_CHARGE_NOT_PENDING = CODES.add("FEE_CHARGE_NOT_PENDING", 409, "The fee charge is already COMPLETED.", SANDBOX,
                                   shape=CONFLICT)
KYC_MOVE_NOT_ALLOWED = CODES.add("KYC_MOVE_NOT_ALLOWED", 409, "The consumer's KYC cannot move to this status "
                                 "(REJECTED is final; APPROVED only restarts at a higher level).", SANDBOX,
                                 shape=CONFLICT)

# -- transport: the spec's `default` Error {code, message} ----------------------------------
MALFORMED_JSON = CODES.add("MALFORMED_JSON", 400, "The body is not a JSON object.", INFERRED)
BAD_HTTP_REQUEST = CODES.add("BAD_REQUEST", 400, "The HTTP request is malformed.", INFERRED)
NOT_FOUND = CODES.add("NOT_FOUND", 404, "No such endpoint.", INFERRED)
METHOD_NOT_ALLOWED = CODES.add("METHOD_NOT_ALLOWED", 405, "The endpoint does not accept this method.", INFERRED)
PAYLOAD_TOO_LARGE = CODES.add("PAYLOAD_TOO_LARGE", 413, "The body is larger than the sandbox accepts.", INFERRED)
UNSUPPORTED_MEDIA_TYPE = CODES.add("UNSUPPORTED_MEDIA_TYPE", 415, "Send the body as application/json.", INFERRED)
INTERNAL_ERROR = CODES.add("INTERNAL_ERROR", 500, "A sandbox bug; please report it.", INFERRED)

WeavrError = CODES.error_class("WeavrError", TransportCodes(
    not_found=NOT_FOUND, method_not_allowed=METHOD_NOT_ALLOWED, too_large=PAYLOAD_TOO_LARGE,
    unsupported_media_type=UNSUPPORTED_MEDIA_TYPE, malformed_json=MALFORMED_JSON, bad_request=BAD_HTTP_REQUEST,
    unexpected=INTERNAL_ERROR,
))

