"""Ibanera's error envelope and every messageCode the sandbox answers with.

This is the one place that knows Ibanera's error strings. Each condition says
when it happens, which HTTP status and fieldName go with it, and whether the
public docs confirm it (`documented`, with the page) or we chose it
(`inferred`) because the docs lost or never had the string. Correct a code
here and the handlers, the tests' expectations and the OpenAPI follow.

Envelope (https://customer-api-docs.ibanera.com/getting-started/common-response-format):
    {"id": 0, "details": null, "status": "0", "errors": [{"fieldName": ..., "messageCode": ...}]}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask import jsonify
from werkzeug.exceptions import HTTPException

from sandbox.core.http import MalformedJson, NotAJsonObject
from sandbox.core.openapi import DOCUMENTED, INFERRED, SANDBOX
from sandbox.core.provider import ProviderError

DOCS = "https://customer-api-docs.ibanera.com"
AUTH_DOC = f"{DOCS}/getting-started/authentication-and-authorization"
MANAGEES_DOC = f"{DOCS}/api-endpoints/managees"
FORMAT_DOC = f"{DOCS}/getting-started/common-response-format"


@dataclass(frozen=True)
class Condition:
    """One way a request can fail, as Ibanera reports it."""

    code: str
    status: int
    when: str
    provenance: str
    field: str | None = None  # fixed fieldName, or None when it names the request field
    source: str | None = None

    def doc(self, *, with_status: bool = False) -> dict:
        entry = {"messageCode": self.code, "when": self.when, "x-provenance": self.provenance}
        if with_status:
            entry = {"status": self.status, **entry}
        if self.field is not None:
            entry["fieldName"] = self.field
        if self.source:
            entry["x-source"] = self.source
        return entry


# -- field validation (any request body or query) ---------------------------
REQUIRED = Condition("Required", 400, "A required field is missing, null or blank.", INFERRED,
                     source=f"{AUTH_DOC} (the code is documented for login; its use elsewhere is inferred)")
LOGIN_REQUIRED = Condition("Required", 400, "Username, password or otp is missing.", DOCUMENTED, source=AUTH_DOC)
INVALID_LENGTH = Condition("Invalid_Length", 400, "A field is longer than its documented maximum.", INFERRED,
                           source=f"{MANAGEES_DOC} (row 'Named field length invalid'; code column lost)")
INVALID_FORMAT = Condition("Invalid_Format", 400,
                           "A field has the wrong type or format: not a string/number/boolean, bad email, date, "
                           "ISO code, enum value, or a proof-of-address file that is not base64 JPEG/PNG.",
                           INFERRED, source=f"{MANAGEES_DOC} (row 'Named field format invalid'; code column lost)")
INVALID = Condition("Invalid", 400, "A named parameter is invalid (paging, unknown field, bad value).", INFERRED,
                    source=f"{MANAGEES_DOC} (the error-response text gives 'Invalid' as its example code)")

# -- login --------------------------------------------------------------------
USERNAME_OR_PASSWORD_INCORRECT = Condition("Username_Or_Password_Incorrect", 400, "Unknown username or wrong password.",
                                           DOCUMENTED, field="Username", source=AUTH_DOC)
ACCOUNT_NOT_VERIFIED = Condition("Account_Not_Verified", 400, "The account is not permitted to use the API.",
                                 DOCUMENTED, field="Username", source=AUTH_DOC)
ACCOUNT_LOCKED = Condition("Account_Locked", 400,
                           "Locked for 10 minutes after too many failed attempts (the sandbox locks after 5).",
                           DOCUMENTED, field="Username", source=AUTH_DOC)
ACCOUNT_SUPPRESSED = Condition("Account_Suppressed", 400, "The account is inactive.", DOCUMENTED,
                               field="Username", source=AUTH_DOC)
LOGIN_OTP_INVALID = Condition("Invalid", 400, "The otp is not the manager's current TOTP code.", INFERRED, field="Otp")

# -- authorisation of private calls ------------------------------------------
TOKEN_UNAUTHORISED = Condition("Unauthorised", 401, "Authorization: Bearer token missing, malformed or expired.",
                               INFERRED, field="Authorization")
OTP_UNAUTHORISED = Condition("Unauthorised", 401, "otp header missing or not the manager's current TOTP code.",
                             INFERRED, field="Otp")

# -- create managee -----------------------------------------------------------
EMAIL_ALREADY_EXISTS = Condition("Email_Already_Exists", 400,
                                 "This manager already has a managee with this email (case-insensitive).",
                                 INFERRED, field="EmailAddress", source=MANAGEES_DOC)
CURRENCY_NOT_SUPPORTED = Condition("Currency_Not_Supported", 400, "fiatCurrencyCode is not USD.", INFERRED,
                                   field="FiatCurrencyCode", source=MANAGEES_DOC)
NATIONALITY_NOT_SUPPORTED = Condition("Nationality_Not_Supported", 400,
                                      "nationalityISO is not in the scenario's supported countries.", INFERRED,
                                      field="NationalityISO", source=MANAGEES_DOC)
COUNTRY_NOT_SUPPORTED = Condition("Country_Not_Supported", 400,
                                  "addressCountryISO is not in the scenario's supported countries.", INFERRED,
                                  field="AddressCountryISO", source=MANAGEES_DOC)
INVALID_PERCENTAGE = Condition("Invalid_Percentage", 400, "A trading percentage is outside 0..100.", INFERRED,
                               source=MANAGEES_DOC)
INVALID_TOTAL_PERCENTAGE = Condition("Invalid_Total_Percentage", 400,
                                     "The four trading percentages add up to more than 100.", INFERRED,
                                     field="TotalTradingPercentage", source=MANAGEES_DOC)
DUPLICATE_ENTRIES = Condition("Duplicate_Entries", 400, "An array holds the same entry twice (case-insensitive).",
                              INFERRED, source=MANAGEES_DOC)
MUST_AGREE_TO_TERMS = Condition("Must_Agree_To_Terms", 400,
                                "bIrsTax, bForeignAccountTax, bNotCriminal or bAccurateInfo is not true; each is "
                                "reported under its own fieldName.", INFERRED, source=MANAGEES_DOC)

# -- managees, accounts, widget users ----------------------------------------
MANAGEE_NOT_FOUND = Condition("Managee_Not_Found", 400, "No managee with this id belongs to the calling manager.",
                              DOCUMENTED, field="ManageesId", source=MANAGEES_DOC)
WIDGET_CLIENT_NOT_FOUND = Condition("Widget_Client_Not_Found", 400,
                                    "The manager does not have an associated widget client.", INFERRED,
                                    field="WidgetClient", source=MANAGEES_DOC)
MANAGEE_NOT_VERIFIED = Condition("Managee_Not_Verified", 400, "The managee's verification is not Accepted.",
                                 INFERRED, field="ManageesId", source=MANAGEES_DOC)
WIDGET_USER_ALREADY_EXISTS = Condition("Widget_User_Already_Exists", 400,
                                       "The managee already has an associated widget user.", INFERRED,
                                       field="ManageesId", source=MANAGEES_DOC)
WIDGET_USER_REFERENCE_ALREADY_USED = Condition("WidgetUserReference_Already_Used", 400,
                                               "This manager already used this widgetUserReference "
                                               "(case-insensitive).", INFERRED, field="WidgetUserReference",
                                               source=MANAGEES_DOC)

# -- simulations (sandbox-only module of the real API) -----------------------
ACCOUNT_NOT_FOUND = Condition("Account_Not_Found", 400,
                              "No account with this id belongs to one of the calling manager's managees.",
                              INFERRED, field="DestinationAccountId")

# -- fintech-sandbox control plane -------------------------------------------
VERIFICATION_FINAL = Condition("Verification_Final", 409,
                               "The managee's verification is already decided. Rejected is final (documented in the "
                               "KYC-updated callback); the sandbox treats Accepted as final too.", SANDBOX,
                               field="VerificationStatus")

# -- transport: what ASP.NET would answer before model binding ---------------
INVALID_JSON = Condition("Invalid_Json", 400, "The body is not a JSON object.", INFERRED, field="")
NOT_FOUND = Condition("Not_Found", 404, "No such endpoint.", INFERRED, field="")
METHOD_NOT_ALLOWED = Condition("Method_Not_Allowed", 405, "The endpoint does not accept this HTTP method.",
                               INFERRED, field="")
REQUEST_TOO_LARGE = Condition("Request_Too_Large", 413, "The body is larger than the sandbox accepts.", INFERRED,
                              field="")
UNSUPPORTED_MEDIA_TYPE = Condition("Unsupported_Media_Type", 415, "The body is not sent as application/json.",
                                   INFERRED, field="")
UNEXPECTED_ERROR = Condition("Unexpected_Error", 500, "A sandbox bug; please report it.", INFERRED, field="")

CONDITIONS: tuple[Condition, ...] = tuple(v for v in dict(globals()).values() if isinstance(v, Condition))
#: every messageCode string the sandbox can emit
CODES = frozenset(c.code for c in CONDITIONS)

# What marshmallow's own error keys become (see schemas.IbaneraSchema).
FIELD_ERROR_CODES = {"required": REQUIRED.code, "null": REQUIRED.code}


def field_name(key: str) -> str:
    """Ibanera reports fields by their .NET property name, PascalCase
    (the one documented example: 'ManageesId' for the JSON key 'manageesId')."""
    return key[:1].upper() + key[1:] if key else key


class IbaneraError(ProviderError):
    def __init__(self, status: int, errors: Iterable[tuple[str, str]], headers: Mapping[str, str] | None = None):
        super().__init__(status, list(errors))
        self.status = status
        self.errors = list(errors)
        self.headers = dict(headers or {})

    @classmethod
    def of(cls, *conditions: Condition, headers: Mapping[str, str] | None = None) -> IbaneraError:
        return cls(conditions[0].status, [(c.field or "", c.code) for c in conditions], headers)

    @classmethod
    def from_validation(cls, messages: Mapping, fallback: str) -> IbaneraError:
        """Marshmallow's messages -> Ibanera errors, one per field (the first
        failure, as .NET validators stop at the first rule that fails)."""
        errors = []
        for key, value in messages.items():
            code = _first_message(value)
            errors.append((field_name(str(key)) if key != "_schema" else "", code if code in CODES else fallback))
        return cls(400, errors)

    def to_response(self):
        response = jsonify(error_envelope(self.errors))
        response.status_code = self.status
        response.headers.update(self.headers)
        return response


def _first_message(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return _first_message(next(iter(value.values())))
    return _first_message(value[0])


def error_envelope(errors: Iterable[tuple[str, str]]) -> dict:
    return {
        "id": 0,
        "details": None,
        "status": "0",
        "errors": [{"fieldName": name, "messageCode": code} for name, code in errors],
    }


def unauthorised(condition: Condition) -> IbaneraError:
    return IbaneraError.of(condition, headers={"WWW-Authenticate": 'Bearer realm="ibanera"'})


def http_error(exc: HTTPException):
    """Errors raised before a handler runs, in Ibanera's envelope."""
    if isinstance(exc, (MalformedJson, NotAJsonObject)):
        condition = INVALID_JSON
    else:
        condition = {404: NOT_FOUND, 405: METHOD_NOT_ALLOWED, 413: REQUEST_TOO_LARGE, 415: UNSUPPORTED_MEDIA_TYPE}.get(
            exc.code, INVALID if (exc.code or 500) < 500 else UNEXPECTED_ERROR
        )
    error = IbaneraError(exc.code or condition.status, [(condition.field or "", condition.code)])
    response = error.to_response()
    for name, value in exc.get_headers():
        if name.lower() == "allow":
            response.headers[name] = value
    return response


def unexpected_error():
    return IbaneraError.of(UNEXPECTED_ERROR).to_response()


# -- OpenAPI ------------------------------------------------------------------
_STATUS_TEXT = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed",
                409: "Conflict", 413: "Payload Too Large", 415: "Unsupported Media Type"}
_BODY_TRANSPORT = (INVALID_JSON, REQUEST_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE)


def catalogue() -> list[dict]:
    """Every condition, for the document's top-level x-error-codes."""
    return [c.doc(with_status=True) for c in CONDITIONS]


def responses(*conditions: Condition, authenticated: bool = True, json_body: bool = True) -> dict[int, dict]:
    """OpenAPI error responses for an operation, with every code it can answer
    under `x-error-codes`, each marked documented / inferred / sandbox."""
    conditions = (*conditions, *((TOKEN_UNAUTHORISED, OTP_UNAUTHORISED) if authenticated else ()),
                  *(_BODY_TRANSPORT if json_body else ()))
    by_status: dict[int, list[Condition]] = {}
    for c in conditions:
        by_status.setdefault(c.status, []).append(c)
    return {
        status: {
            "description": f"{_STATUS_TEXT.get(status, 'Error')}: Ibanera error envelope, status \"0\".",
            "content": {"application/json": {"schema": "IbaneraErrorEnvelopeSchema"}},
            "x-error-codes": [c.doc() for c in found],
        }
        for status, found in sorted(by_status.items())
    }
