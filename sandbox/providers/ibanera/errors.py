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

from sandbox.core.errors import DOCUMENTED, INFERRED, SANDBOX, Catalogue, Envelope, Problem, TransportCodes

DOCS = "https://customer-api-docs.ibanera.com"
AUTH_DOC = f"{DOCS}/getting-started/authentication-and-authorization"
MANAGEES_DOC = f"{DOCS}/api-endpoints/managees"
FORMAT_DOC = f"{DOCS}/getting-started/common-response-format"


class IbaneraEnvelope(Envelope):
    schema_name = "IbaneraErrorEnvelopeSchema"
    description = 'Ibanera error envelope, status "0".'
    code_key = "messageCode"
    field_key = "fieldName"

    def render(self, problems: list[Problem], status: int) -> dict:
        return {
            "id": 0,
            "details": None,
            "status": "0",
            "errors": [{"fieldName": p.field or "", "messageCode": p.condition.code} for p in problems],
        }

    def codes_in(self, body) -> list[str]:
        return [e["messageCode"] for e in body["errors"]]


CODES = Catalogue("ibanera", IbaneraEnvelope())


# -- field validation (any request body or query) ---------------------------
REQUIRED = CODES.add("Required", 400, "A required field is missing, null or blank.", INFERRED,
                     source=f"{AUTH_DOC} (the code is documented for login; its use elsewhere is inferred)")
LOGIN_REQUIRED = CODES.add("Required", 400, "Username, password or otp is missing.", DOCUMENTED, source=AUTH_DOC)
INVALID_LENGTH = CODES.add("Invalid_Length", 400, "A field is longer than its documented maximum.", INFERRED,
                           source=f"{MANAGEES_DOC} (row 'Named field length invalid'; code column lost)")
INVALID_FORMAT = CODES.add("Invalid_Format", 400,
                           "A field has the wrong type or format: not a string/number/boolean, bad email, date, "
                           "ISO code, enum value, or a proof-of-address file that is not base64 JPEG/PNG.",
                           INFERRED, source=f"{MANAGEES_DOC} (row 'Named field format invalid'; code column lost)")
INVALID = CODES.add("Invalid", 400, "A named parameter is invalid (paging, unknown field, bad value).", INFERRED,
                    source=f"{MANAGEES_DOC} (the error-response text gives 'Invalid' as its example code)")

# -- login --------------------------------------------------------------------
USERNAME_OR_PASSWORD_INCORRECT = CODES.add("Username_Or_Password_Incorrect", 400, "Unknown username or wrong password.",
                                           DOCUMENTED, field="Username", source=AUTH_DOC)
ACCOUNT_NOT_VERIFIED = CODES.add("Account_Not_Verified", 400, "The account is not permitted to use the API.",
                                 DOCUMENTED, field="Username", source=AUTH_DOC)
ACCOUNT_LOCKED = CODES.add("Account_Locked", 400,
                           "Locked for 10 minutes after too many failed attempts (the sandbox locks after 5).",
                           DOCUMENTED, field="Username", source=AUTH_DOC)
ACCOUNT_SUPPRESSED = CODES.add("Account_Suppressed", 400, "The account is inactive.", DOCUMENTED,
                               field="Username", source=AUTH_DOC)
LOGIN_OTP_INVALID = CODES.add("Invalid", 400, "The otp is not the manager's current TOTP code.", INFERRED, field="Otp")

# -- authorisation of private calls ------------------------------------------
TOKEN_UNAUTHORISED = CODES.add("Unauthorised", 401, "Authorization: Bearer token missing, malformed or expired.",
                               INFERRED, field="Authorization")
OTP_UNAUTHORISED = CODES.add("Unauthorised", 401, "otp header missing or not the manager's current TOTP code.",
                             INFERRED, field="Otp")

# -- create managee -----------------------------------------------------------
EMAIL_ALREADY_EXISTS = CODES.add("Email_Already_Exists", 400,
                                 "This manager already has a managee with this email (case-insensitive).",
                                 INFERRED, field="EmailAddress", source=MANAGEES_DOC)
CURRENCY_NOT_SUPPORTED = CODES.add("Currency_Not_Supported", 400, "fiatCurrencyCode is not USD.", INFERRED,
                                   field="FiatCurrencyCode", source=MANAGEES_DOC)
NATIONALITY_NOT_SUPPORTED = CODES.add("Nationality_Not_Supported", 400,
                                      "nationalityISO is not in the scenario's supported countries.", INFERRED,
                                      field="NationalityISO", source=MANAGEES_DOC)
COUNTRY_NOT_SUPPORTED = CODES.add("Country_Not_Supported", 400,
                                  "addressCountryISO is not in the scenario's supported countries.", INFERRED,
                                  field="AddressCountryISO", source=MANAGEES_DOC)
INVALID_PERCENTAGE = CODES.add("Invalid_Percentage", 400, "A trading percentage is outside 0..100.", INFERRED,
                               source=MANAGEES_DOC)
INVALID_TOTAL_PERCENTAGE = CODES.add("Invalid_Total_Percentage", 400,
                                     "The four trading percentages add up to more than 100.", INFERRED,
                                     field="TotalTradingPercentage", source=MANAGEES_DOC)
DUPLICATE_ENTRIES = CODES.add("Duplicate_Entries", 400, "An array holds the same entry twice (case-insensitive).",
                              INFERRED, source=MANAGEES_DOC)
MUST_AGREE_TO_TERMS = CODES.add("Must_Agree_To_Terms", 400,
                                "bIrsTax, bForeignAccountTax, bNotCriminal or bAccurateInfo is not true; each is "
                                "reported under its own fieldName.", INFERRED, source=MANAGEES_DOC)

# -- managees, accounts, widget users ----------------------------------------
MANAGEE_NOT_FOUND = CODES.add("Managee_Not_Found", 400, "No managee with this id belongs to the calling manager.",
                              DOCUMENTED, field="ManageesId", source=MANAGEES_DOC)
WIDGET_CLIENT_NOT_FOUND = CODES.add("Widget_Client_Not_Found", 400,
                                    "The manager does not have an associated widget client.", INFERRED,
                                    field="WidgetClient", source=MANAGEES_DOC)
MANAGEE_NOT_VERIFIED = CODES.add("Managee_Not_Verified", 400, "The managee's verification is not Accepted.",
                                 INFERRED, field="ManageesId", source=MANAGEES_DOC)
WIDGET_USER_ALREADY_EXISTS = CODES.add("Widget_User_Already_Exists", 400,
                                       "The managee already has an associated widget user.", INFERRED,
                                       field="ManageesId", source=MANAGEES_DOC)
WIDGET_USER_REFERENCE_ALREADY_USED = CODES.add("WidgetUserReference_Already_Used", 400,
                                               "This manager already used this widgetUserReference "
                                               "(case-insensitive).", INFERRED, field="WidgetUserReference",
                                               source=MANAGEES_DOC)

# -- simulations (sandbox-only module of the real API) -----------------------
ACCOUNT_NOT_FOUND = CODES.add("Account_Not_Found", 400,
                              "No account with this id belongs to one of the calling manager's managees.",
                              INFERRED, field="DestinationAccountId")

# -- fintech-sandbox control plane -------------------------------------------
VERIFICATION_FINAL = CODES.add("Verification_Final", 409,
                               "The managee's verification is already decided. Rejected is final (documented in the "
                               "KYC-updated callback); the sandbox treats Accepted as final too.", SANDBOX,
                               field="VerificationStatus")

# -- transport: what ASP.NET would answer before model binding ---------------
INVALID_JSON = CODES.add("Invalid_Json", 400, "The body is not a JSON object.", INFERRED, field="")
NOT_FOUND = CODES.add("Not_Found", 404, "No such endpoint.", INFERRED, field="")
METHOD_NOT_ALLOWED = CODES.add("Method_Not_Allowed", 405, "The endpoint does not accept this HTTP method.",
                               INFERRED, field="")
REQUEST_TOO_LARGE = CODES.add("Request_Too_Large", 413, "The body is larger than the sandbox accepts.", INFERRED,
                              field="")
UNSUPPORTED_MEDIA_TYPE = CODES.add("Unsupported_Media_Type", 415, "The body is not sent as application/json.",
                                   INFERRED, field="")
UNEXPECTED_ERROR = CODES.add("Unexpected_Error", 500, "A sandbox bug; please report it.", INFERRED, field="")

# -- what a fault injected on purpose answers (POST /_sandbox/ibanera/faults); Ibanera documents neither
TOO_MANY_REQUESTS = CODES.add("Too_Many_Requests", 429, "A fault injected on purpose: the caller is rate limited.",
                              INFERRED, field="")
SERVICE_UNAVAILABLE = CODES.add("Service_Unavailable", 503, "A fault injected on purpose: the service is down.",
                                INFERRED, field="")

IbaneraError = CODES.error_class("IbaneraError", TransportCodes(
    not_found=NOT_FOUND, method_not_allowed=METHOD_NOT_ALLOWED, too_large=REQUEST_TOO_LARGE,
    unsupported_media_type=UNSUPPORTED_MEDIA_TYPE, malformed_json=INVALID_JSON, bad_request=INVALID,
    unexpected=UNEXPECTED_ERROR,
))



def field_name(key: str) -> str:
    """Ibanera reports fields by their .NET property name, PascalCase
    (the one documented example: 'ManageesId' for the JSON key 'manageesId')."""
    return key[:1].upper() + key[1:] if key else key


def unauthorised(condition) -> IbaneraError:
    return IbaneraError.of(condition, headers={"WWW-Authenticate": 'Bearer realm="ibanera"'})
