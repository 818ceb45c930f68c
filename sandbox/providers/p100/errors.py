"""P100's error envelope and every P-code the sandbox answers with.

Envelope [doc] (https://partner-api-docs.p100.io/redirect-to-verification-19688840e0):
    {"errorCode": "P412", "errorMessage": "User does not exist", "errorName": "invalid-user"}
The sandbox always sends all three keys (older pages omit errorMessage). P403
validation errors name the field at fault in errorMessage.

Codes the docs show are `documented` with their page; codes the sandbox had
to choose (the Error Handling page could not be read) are `inferred`.
"""

from __future__ import annotations

from sandbox.core.errors import DOCUMENTED, INFERRED, SANDBOX, Catalogue, Envelope, Problem, TransportCodes

DOCS = "https://partner-api-docs.p100.io"
GH = "https://p-100.github.io/partner-api-docs/general"
KYC_STATUS_DOC = f"{DOCS}/get-kyc-status-19688846e0"
POA_DOC = f"{DOCS}/add-poa-file-19651252e0"
REDIRECT_DOC = f"{DOCS}/redirect-to-verification-19688840e0"
SEPA_DOC = f"{DOCS}/test/create-a-sepa-transfer-27509577e0"
SEPA_DETAILS_DOC = f"{GH}/api/sepa-transfer"
TRANSFER_DOC = f"{GH}/api/transfer"
WITHDRAWAL_DOC = f"{GH}/api/crypto-withdrawals"
SUSPEND_DOC = f"{DOCS}/suspend-user-19651276e0"
CREATE_DOC = f"{DOCS}/create-user-account-28597691e0"
SEED_DOC = f"{DOCS}/user-operations (module overview: virtual cards suspended)"
FAQ_DOC = f"{DOCS}/faq-1299898m0"


class P100Envelope(Envelope):
    schema_name = "P100ErrorSchema"
    description = "P100 error body {errorCode, errorMessage, errorName}."
    code_key = "errorCode"
    field_key = None

    def render(self, problems: list[Problem], status: int) -> dict:
        first = problems[0]
        message = first.condition.extra["message"]
        if first.field:
            message = f"{message}: {first.field}"
            if first.params and first.params.get("reason"):
                message += f" ({first.params['reason']})"
        return {"errorCode": first.condition.code, "errorMessage": message,
                "errorName": first.condition.extra["name"]}

    def codes_in(self, body) -> list[str]:
        return [body["errorCode"]]


CODES = Catalogue("p100", P100Envelope())


def code(code_: str, status: int, name: str, message: str, when: str, provenance: str, source: str | None = None):
    return CODES.add(code_, status, when, provenance, source=source, name=name, message=message)


# -- access --------------------------------------------------------------------------------------------
ACCESS_DENIED = code("P401", 401, "access-denied", "Access Denied",
                     "x-api-key missing or unknown. The 401 'Access Denied' is documented; its body is not, so the "
                     "sandbox answers in the P-code envelope with a code of its own.", INFERRED, FAQ_DOC)

# -- validation ----------------------------------------------------------------------------------------
VALIDATION = code("P403", 400, "validation-error", "Validation error",
                  "A field is missing, of the wrong type or out of range; errorMessage names it. Also a body that "
                  "is not a JSON object.", DOCUMENTED, SEPA_DOC)
INVALID_CURRENCY = code("P410", 400, "invalid-currency", "Currency not found",
                        "The currency (or currency and network) is not one P100 serves.", DOCUMENTED, WITHDRAWAL_DOC)

# -- users ---------------------------------------------------------------------------------------------
USER_EXISTS = code("P411", 400, "user-exists", "User already exists",
                   "This API key already created a user with this externalUserId (deleted users included: ids "
                   "are never reused). The code comes from third-party client code; the docs only say reuse fails.",
                   INFERRED, CREATE_DOC)
INVALID_USER = code("P412", 400, "invalid-user", "User does not exist",
                    "No user with this externalUserId belongs to the calling API key (or it was deleted).",
                    DOCUMENTED, REDIRECT_DOC)
SUSPENSION_BLOCKED = code("P454", 400, "suspension-blocked", "Suspension is not possible due to active cards",
                          "The user holds active cards. Cards are offline, so no user holds one.", DOCUMENTED,
                          SUSPEND_DOC)
USER_SUSPENDED = code("P455", 400, "user-suspended", "User is suspended",
                      "A money operation or deposit for a suspended user.", INFERRED,
                      "third-party client code; status inferred")
USER_NOT_VERIFIED = code("P459", 400, "user-not-verified", "User not verified",
                         "A money operation (or Add User Verification) before the user's KYC is VERIFIED and the "
                         "user verification added. Documented on Get KYC Status; its use here is inferred.",
                         INFERRED, KYC_STATUS_DOC)

# -- KYC and POA ---------------------------------------------------------------------------------------
KYC_NOT_FOUND = code("P445", 404, "kyc-not-found", "KYC not found",
                     "The user has no KYC yet (no verification created, no KYC file added).", DOCUMENTED,
                     KYC_STATUS_DOC)
VERIFICATION_NOT_FOUND = code("P446", 404, "kyc-verification-not-found", "KYC verification not found",
                              "No KYC verification with this id for this user.", INFERRED, REDIRECT_DOC)
INVALID_FILE_TYPE = code("P426", 400, "invalid-file-type", "Invalid file type",
                         "A file is not jpeg, png, jpg or pdf (by its content), or no file or too many were sent.",
                         DOCUMENTED, POA_DOC)
FILE_TOO_LARGE = code("P440", 400, "file-too-large", "File too large", "A file is larger than 5 MB.", DOCUMENTED,
                      POA_DOC)
POA_ALREADY_VERIFIED = code("P447", 400, "poa-already-verified", "POA already verified",
                            "The user's proof of address is already APPROVED.", DOCUMENTED, POA_DOC)
POA_PENDING = code("P211", 202, "poa-pending", "POA pending",
                   "Files were already sent and wait for review (WAITING); a success-range answer.", DOCUMENTED,
                   POA_DOC)
POA_NOT_FOUND = code("P460", 404, "poa-verification-not-found", "POA verification not found",
                     "The user's country needs no proof of address, so there is no POA verification to add files "
                     "to (the docs list the code; its trigger is inferred).", INFERRED, POA_DOC)

# -- money ---------------------------------------------------------------------------------------------
SOURCE_OR_DESTINATION = code("P424", 400, "source-or-destination-required", "Source or destination must be provided.",
                             "An internal transfer names neither sourceExternalUserId nor destinationExternalUserId.",
                             DOCUMENTED, TRANSFER_DOC)
SEPA_NOT_FOUND = code("P428", 404, "sepa-transfer-not-found", "Sepa transfer not found",
                      "No SEPA transfer with this id belongs to the calling API key.", DOCUMENTED, SEPA_DETAILS_DOC)
INSUFFICIENT_FUNDS = code("P433", 400, "insufficient-funds", "Insufficient funds",
                          "The debited balance (amount plus fee) would go negative. Nothing changes.", DOCUMENTED,
                          TRANSFER_DOC)
USER_TO_USER = code("P425", 400, "user-to-user-not-supported", "Direct user-to-user transfers are not supported",
                    "An internal transfer names both a source and a destination user (documented as unsupported; "
                    "the code is the sandbox's).", INFERRED, SEED_DOC)
LOCK_NOT_FOUND = code("P470", 404, "rate-lock-not-found", "Rate lock not found",
                      "No rate lock with this lockId for this user.", INFERRED)
LOCK_EXPIRED = code("P471", 400, "rate-lock-expired", "Rate lock expired",
                    "The lock's expiresAt has passed on the sandbox clock.", INFERRED)
LOCK_USED = code("P472", 400, "rate-lock-used", "Rate lock already used",
                 "The lock already finalized an exchange.", INFERRED)
LOCK_MISMATCH = code("P473", 400, "rate-lock-mismatch", "Exchange does not match the rate lock",
                     "amount, currencyFrom or currencyTo differ from the locked ones.", INFERRED)
EXCHANGE_NOT_FOUND = code("P474", 404, "exchange-not-found", "Exchange not found",
                          "No exchange with this id belongs to the calling API key.", INFERRED)
TRANSFER_NOT_FOUND = code("P475", 404, "transfer-not-found", "Transfer not found",
                          "No internal transfer with this id belongs to the calling API key.", INFERRED)
WITHDRAWAL_NOT_FOUND = code("P476", 404, "crypto-withdrawal-not-found", "Crypto withdrawal not found",
                            "No crypto withdrawal with this id belongs to the calling API key.", INFERRED)
DEPOSIT_NOT_FOUND = code("P477", 404, "crypto-deposit-not-found", "Crypto deposit not found",
                         "No crypto deposit with this id belongs to the calling API key.", INFERRED)
TRAVEL_RULE_NOT_REQUIRED = code("P478", 400, "travel-rule-not-required", "Travel rule data not required",
                                "The deposit is not WAITING_FOR_TR_DATA.", INFERRED)
BELOW_MINIMUM = code("P479", 400, "amount-below-minimum", "Amount below minimum withdrawal",
                     "The withdrawal amount is below the network's minWithdrawal.", INFERRED)
CARDS_OFFLINE = code("P480", 400, "virtual-cards-suspended", "All Virtual Card services are temporarily suspended",
                     "Every virtual card endpoint: the module is offline (documented); the code is the sandbox's.",
                     INFERRED, SEED_DOC)

# -- documented, never raised by the sandbox (listed for completeness) ---------------------------------
UNKNOWN_EXCEPTION = code("P500", 400, "unknown-exception", "Unknown exception",
                         "Documented as 400 on most pages; the sandbox never answers it (see P999).", DOCUMENTED,
                         KYC_STATUS_DOC)
UNAVAILABLE = code("P501", 400, "service-unavailable", "Service temporarily unavailable",
                   "Documented as 400 on most pages; the sandbox is never unavailable.", DOCUMENTED, KYC_STATUS_DOC)
PARTNER_NOT_FOUND = code("P418", 400, "partner-not-found", "Partner not found",
                         "Documented on SEPA transfer details; in the sandbox every key is a partner.", DOCUMENTED,
                         SEPA_DETAILS_DOC)

# -- faults injected on purpose (POST /_sandbox/p100/faults) -----------------------------------------------
# [inferred] P100 documents no rate limit (reference §8): a 429 in the P-code envelope with a code of our own.
TOO_MANY_REQUESTS = code("P429", 429, "too-many-requests", "Too many requests",
                         "A fault injected on purpose: the caller is rate limited (P100 documents no rate limit; "
                         "the code is the sandbox's).", INFERRED)
# [inferred] an outage answers 503 with P100's documented P501 code and message (documented at 400 when P100
# itself says it is unavailable; a gateway in front of a service that is down answers 503)
OUTAGE = code("P501", 503, "service-unavailable", "Service temporarily unavailable",
              "A fault injected on purpose: the service is down (P501 as documented, at the status of an outage).",
              INFERRED, KYC_STATUS_DOC)

# -- transport -----------------------------------------------------------------------------------------
NOT_FOUND = code("P404", 404, "not-found", "Not found", "No such endpoint.", SANDBOX)
METHOD_NOT_ALLOWED = code("P405", 405, "method-not-allowed", "Method not allowed",
                          "The endpoint does not accept this HTTP method.", SANDBOX)
TOO_LARGE = code("P413", 413, "payload-too-large", "Payload too large", "The body is larger than the sandbox "
                 "accepts.", SANDBOX)
UNSUPPORTED_MEDIA = code("P415", 415, "unsupported-media-type", "Unsupported media type",
                         "The body is not application/json (or multipart/form-data for uploads).", SANDBOX)
SANDBOX_BUG = code("P999", 500, "sandbox-error", "Unknown exception", "A sandbox bug; please report it.", SANDBOX)

P100Error = CODES.error_class("P100Error", TransportCodes(
    not_found=NOT_FOUND, method_not_allowed=METHOD_NOT_ALLOWED, too_large=TOO_LARGE,
    unsupported_media_type=UNSUPPORTED_MEDIA, malformed_json=VALIDATION, bad_request=VALIDATION,
    unexpected=SANDBOX_BUG,
))



def fail(condition, field: str | None = None, reason: str | None = None) -> P100Error:
    """The error for one condition, naming the field at fault (P403)."""
    return P100Error([Problem(condition, field, {"reason": reason} if reason else None)])
