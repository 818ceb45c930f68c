"""Prozora's error body and every message the sandbox answers with.

Documented (https://docs.prozora.network/bank-integration/eng/general/error-messages):
401 `Access credentials are invalid`, and 400 with the duplicate-customer
message. Every non-200 answer of the OpenAPI blocks is "json with error msg";
the key is not documented, so the body is inferred as Go services write it:

    {"error": "<message>"}                 a message about the request as a whole
    {"error": "<field>: <message>"}        a message about one request field

The message (without the field) is the code listed in x-error-codes.
"""

from __future__ import annotations

from sandbox.core.errors import DOCUMENTED, INFERRED, Catalogue, Envelope, Problem, TransportCodes

DOCS = "https://docs.prozora.network/bank-integration/eng"
ERRORS_DOC = f"{DOCS}/general/error-messages"
CUSTOMER_DOC = f"{DOCS}/api-methods/customer"
BRANCH_DOC = f"{DOCS}/api-methods/optional-branch"


class ProzoraEnvelope(Envelope):
    schema_name = "ProzoraErrorSchema"
    description = '{"error": message}, the field first when one request field is at fault.'
    code_key = "message"
    field_key = "field"

    def render(self, problems: list[Problem], status: int) -> dict:
        first = problems[0]  # a Go handler stops at its first error
        code = first.condition.code
        return {"error": f"{first.field}: {code}" if first.field else code}

    def codes_in(self, body) -> list[str]:
        message = body["error"]
        if CODES.by_code(message) is not None:
            return [message]
        return [message.split(": ", 1)[-1]]


CODES = Catalogue("prozora", ProzoraEnvelope())

# -- authorization and scoping -------------------------------------------------------------
UNAUTHORIZED = CODES.add("Access credentials are invalid", 401,
                         "Authorization is missing, not `bearer <token>`, or names no employee.", DOCUMENTED,
                         source=ERRORS_DOC)
PERMISSION_DENIED = CODES.add("permission denied", 403,
                              "The path's counterparty is not the employee's (whether it exists or not: the "
                              "answer is the same).", INFERRED, source=f"{DOCS}/api-methods/emlpoyee")
CUSTOMER_NOT_FOUND = CODES.add("customer not found", 404,
                               "No customer with this GUID in the counterparty, or not in the branch of a branch "
                               "employee.", INFERRED, field="customer_guid", source=BRANCH_DOC)

# -- request validation ------------------------------------------------------------------------
REQUIRED = CODES.add("field is required", 400, "A required field is missing or null.", INFERRED,
                     source=CUSTOMER_DOC)
INVALID_VALUE = CODES.add("invalid value", 400,
                          "A field has the wrong type (a query number not in ASCII digits; a query parameter "
                          "repeated where one value is meant), is blank, too long, or not one of its values "
                          "(status).", INFERRED)
CONTROL_CHARACTERS = CODES.add("control characters are not allowed", 400,
                               "A text field (body or query) holds a control character: NUL, ESC, a tab or a "
                               "line break, any of U+0000-U+001F and U+007F.", INFERRED)
UNKNOWN_FIELD = CODES.add("unknown field", 400,
                          "A key the operation does not take; on update also login, iban, asset_code and "
                          "asset_issuer, which cannot change.", INFERRED, source=CUSTOMER_DOC)
NEGATIVE = CODES.add("must not be negative", 400, "kyc_level, balance_allowed, offset or limit below 0.",
                     INFERRED)
TOO_PRECISE = CODES.add("too many digits", 400,
                        "A money amount with more significant digits than a JSON number holds exactly (15).",
                        INFERRED)
TOO_MANY_DECIMALS = CODES.add("too many decimal places for the asset", 400,
                              "balance_allowed has more decimal places than its asset's minor unit (the balance "
                              "asset, else the customer's asset): 0.001 UAH cannot exist.", INFERRED)
INVALID_PHONE = CODES.add("invalid phone number", 400,
                          "phone_number is not a possible phone number in ASCII digits (+ and the country code, "
                          "or a Ukrainian national number).", INFERRED, source=CUSTOMER_DOC)
LIMIT_TOO_LARGE = CODES.add("limit is too large", 400, "limit above 1000 (or offset above 2^31-1).", INFERRED)
INVALID_UUID = CODES.add("invalid UUID format", 400, "A GUID (path, body or query) is not a UUID.", INFERRED,
                         source=f"{ERRORS_DOC} (the documented `invalid UUID length: 0` is google/uuid's)")
INVALID_STELLAR_ACCOUNT = CODES.add("invalid stellar account id", 400,
                                    "asset_issuer or balance_asset_issuer is not a Stellar account ID (G..., 56 "
                                    "base32 characters with a valid CRC16).", INFERRED, source=CUSTOMER_DOC)
ASSET_NOT_AVAILABLE = CODES.add("asset is not available for the counterparty", 400,
                                "asset_code (or balance_asset_code) is not one of the counterparty's assets, or "
                                "asset_issuer is not that asset's issuer.", INFERRED, source=CUSTOMER_DOC)
INVALID_IBAN = CODES.add("invalid IBAN", 400, "The IBAN fails its country format or mod-97 checksum.", INFERRED,
                         source=CUSTOMER_DOC)
INVALID_DATE = CODES.add("invalid date, expected ISO 8601", 400,
                         "A min_/max_ time bound is neither a date (YYYY-MM-DD) nor an RFC 3339 date-time "
                         "(offset required).",
                         INFERRED)
BRANCH_NOT_FOUND = CODES.add("branch not found", 400,
                             "branch_guid is not a branch of the counterparty, or (for a branch employee) not the "
                             "employee's own branch.", INFERRED, field="branch_guid", source=BRANCH_DOC)
GUID_MISMATCH = CODES.add("wallet_user_guid does not match the path", 400,
                          "Update: the body's wallet_user_guid (the customer's GUID) is not the path's.", INFERRED,
                          field="wallet_user_guid", source=CUSTOMER_DOC)

# -- state ---------------------------------------------------------------------------------
LOGIN_TAKEN = CODES.add(
    'failed to create wallet user: failed to sign up: response status code is not 2xx but 409; '
    'error was "{\\"error\\":\\"logic error\\"}\\n"', 400,
    "The counterparty already has a customer with this login (case-insensitive).", DOCUMENTED, source=ERRORS_DOC)
IBAN_TAKEN = CODES.add("iban is already in use", 400, "Another account of the counterparty has this IBAN.",
                       INFERRED, field="iban")

# -- transport -------------------------------------------------------------------------------
INVALID_BODY = CODES.add("invalid request body", 400, "The body is not a JSON object.", INFERRED)
NOT_FOUND = CODES.add("404 page not found", 404, "No such endpoint (Go's net/http answer).", INFERRED)
METHOD_NOT_ALLOWED = CODES.add("method not allowed", 405, "The endpoint does not take this method.", INFERRED)
TOO_LARGE = CODES.add("request body too large", 413, "The body is larger than the sandbox accepts.", INFERRED)
NOT_JSON = CODES.add("unsupported content type", 415, "The body is not sent as application/json.", INFERRED)
INTERNAL = CODES.add("internal error", 500, "A sandbox bug; please report it.", INFERRED)
# what a fault injected on purpose answers (POST /_sandbox/prozora/counterparty/<guid>/faults); undocumented
TOO_MANY_REQUESTS = CODES.add("too many requests", 429, "A fault injected on purpose: the caller is rate limited.",
                              INFERRED)
UNAVAILABLE = CODES.add("service unavailable", 503, "A fault injected on purpose: the service is down.", INFERRED)

ProzoraError = CODES.error_class("ProzoraError", TransportCodes(
    not_found=NOT_FOUND, method_not_allowed=METHOD_NOT_ALLOWED, too_large=TOO_LARGE, unsupported_media_type=NOT_JSON,
    malformed_json=INVALID_BODY, bad_request=INVALID_VALUE, unexpected=INTERNAL,
))


def at(condition, field: str) -> ProzoraError:
    """The condition about one request field (a path parameter, say)."""
    return ProzoraError([Problem(condition, field)])
