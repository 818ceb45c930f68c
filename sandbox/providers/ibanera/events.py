"""Ibanera's callbacks and what it decides later.

Callbacks (https://customer-api-docs.ibanera.com/callbacks), documented: a
POST of application/json `{"Id": GUID, "Type": TYPE_CODE, "Data": {...}}`
(PascalCase), with a `webhook-signature` header made by SHA-256 of the
string requestBody + hashSecret (a plain hash of the concatenation, not an
HMAC); the receiver must answer 200, "if a different response is returned,
the request will be retried with exponential backoff for 2 hours". The hash
secret is the one the manager sets (Ibanera's support issues one).
Inferred: the signature's encoding (base64, as the QuickBuy signature page
encodes the same scheme) and the retry schedule (RETRIES).

Events, each built as its page documents it: MANAGEE_JUMIO_COMPLETED and
MANAGEE_KYC_UPDATED when a managee's KYC is decided (in that order),
FIAT_DEPOSIT_RECEIVED when a simulated deposit lands.

What it decides later: a managee's KYC (`kyc`: Accepted, or Rejected with a
reason), manual unless the manager chooses otherwise; a magic email chooses
one managee's outcome (MAGIC)."""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from sandbox.core.outcomes import MANUAL, Kind, Magic
from sandbox.core.webhooks import Event, Target, WebhookPolicy
from sandbox.providers.ibanera import constants as k

DOCS = "https://customer-api-docs.ibanera.com/callbacks"
SIGNATURE_HEADER = "webhook-signature"  # [doc]
ACKNOWLEDGED = 200  # [doc] "A 200 HTTP response code is expected"
#: [inferred] "exponential backoff for 2 hours": 1, 2, 4, ... 32 minutes, then the rest of the 2 hours
#: (attempts 0, 1, 3, 7, 15, 31, 63 and 120 minutes after the first); then it is given up
RETRIES = (*(timedelta(minutes=2**n) for n in range(6)), timedelta(minutes=57))

JUMIO_COMPLETED = "MANAGEE_JUMIO_COMPLETED"  # [doc] DOCS/managee-jumio-completed
KYC_UPDATED = "MANAGEE_KYC_UPDATED"  # [doc] DOCS/managee-kyc-updated
FIAT_DEPOSIT_RECEIVED = "FIAT_DEPOSIT_RECEIVED"  # [doc] DOCS/fiat-deposit-received


def signature(body: bytes, secret: str) -> str:
    """base64(SHA-256(requestBody + hashSecret)), the body as sent (UTF-8)."""
    return base64.b64encode(hashlib.sha256(body + secret.encode()).digest()).decode()


class IbaneraWebhooks(WebhookPolicy):
    retries = RETRIES
    description = (
        "Ibanera's callbacks (documented, " + DOCS + "): a POST of {\"Id\": GUID, \"Type\": ..., \"Data\": {...}} "
        "with the header webhook-signature = SHA-256 of the string requestBody + the hash secret you set (not an "
        "HMAC), base64-encoded (inferred: the QuickBuy signature page encodes the same scheme in base64). Only "
        "HTTP 200 acknowledges (documented: any other answer is retried); retried with exponential back-off for "
        "2 hours (documented), on the schedule 1, 2, 4, 8, 16 and 32 minutes after each failed attempt, then 57 "
        "minutes (inferred: attempts 0, 1, 3, 7, 15, 31, 63 and 120 minutes after the first), then given up."
    )

    def headers(self, body: bytes, target: Target, message_id: str, published: datetime) -> dict[str, str]:
        return {SIGNATURE_HEADER: signature(body, target.secret)}

    def acknowledged(self, status: int) -> bool:
        return status == ACKNOWLEDGED


WEBHOOKS = IbaneraWebhooks()


# -- the events ------------------------------------------------------------------------------
def callback_date(moment: datetime, *, offset: bool = False) -> str:
    """A date as the callbacks' examples show it, .NET's way: milliseconds
    with their trailing zeros dropped ("2024-04-04T15:41:52.15"), no zone
    (the managee callbacks) or "+00:00" (FIAT_DEPOSIT_RECEIVED's Date)."""
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    fraction = f"{moment.microsecond // 1000:03d}".rstrip("0")
    return text + (f".{fraction}" if fraction else "") + ("+00:00" if offset else "")


def _event(type_code: str, data: dict) -> Event:
    """A new GUID each time (not derived from the ids: after a reset the same
    managee id comes back, and a receiver that dedupes on Id must not drop it)."""
    return Event(type_code, {"Id": str(uuid.uuid4()), "Type": type_code, "Data": data})


def jumio_completed(managees_id: int, at: datetime) -> Event:
    return _event(JUMIO_COMPLETED, {
        "ManageesId": managees_id, "ManageeCustomerUsersId": customer_user_id(managees_id),
        "DateJumioCompleted": callback_date(at),
    })


def kyc_updated(managees_id: int, status: str, at: datetime, reject_reason: str | None) -> Event:
    """Key order as the documented example: AcceptDate, RejectReason, RejectDate."""
    accepted = status == "Accepted"
    return _event(KYC_UPDATED, {
        "ManageesId": managees_id, "VerificationStatus": status,
        "AcceptDate": callback_date(at) if accepted else None,
        "RejectReason": None if accepted else reject_reason,
        "RejectDate": None if accepted else callback_date(at),
    })


def fiat_deposit_received(account_id: int, transaction_id: int, amount: Decimal, reference: str | None,
                          imad: str | None, at: datetime) -> Event:
    """Keys as the documented standard-deposit example (bReversal and bFlagged,
    listed in its table, last: inferred); a simulated deposit is never a
    refund and never flagged."""
    return _event(FIAT_DEPOSIT_RECEIVED, {
        "AccountsId": account_id, "TransactionsId": transaction_id, "OriginalTransactionsId": None,
        "Reference": reference, "SenderDetails": dict(k.SIMULATED_SENDER), "Amount": json_number(amount),
        "Imad": imad, "Date": callback_date(at, offset=True), "bReversal": False, "bFlagged": False,
    })


def customer_user_id(managees_id: int) -> int:
    """The one CustomerUser of a personal managee (numbering inferred: constants)."""
    return managees_id + k.CUSTOMER_USER_ID_OFFSET


def json_number(amount: Decimal) -> int | float:
    """An amount as the example shows it (25): a JSON number, whole when it is."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


# -- what Ibanera decides later --------------------------------------------------------------
ACCEPTED, REJECTED = "Accepted", "Rejected"
#: [inferred] the docs give no reason's wording
DEFAULT_REJECT_REASON = "Identity verification failed"
KYC = Kind(
    "kyc",
    "A managee's KYC review (Jumio, then Ibanera's compliance): once decided, MANAGEE_JUMIO_COMPLETED then "
    "MANAGEE_KYC_UPDATED are sent; Accepted opens its USD account, Rejected is final. Manual by default: "
    "POST /_sandbox/ibanera/managees/{managees_id}/verification decides.",
    (ACCEPTED, REJECTED), default=MANUAL, reasons={REJECTED: DEFAULT_REJECT_REASON},
)
OUTCOMES = (KYC,)

#: [sandbox] Ibanera has no field to choose an outcome: the email's local part does
MAGIC_SUFFIXES = {"+kyc_rejected": REJECTED, "+kyc_accepted": ACCEPTED}
MAGIC = tuple(
    Magic("emailAddress", f"local part ends {suffix} (e.g. ada{suffix}@example.com)",
          f"that managee's KYC is {outcome}, whatever the manager's kyc outcome; when it is decided still follows "
          "the manager's kyc progression (immediate or after; manual, the default, leaves it to the control)")
    for suffix, outcome in MAGIC_SUFFIXES.items()
)


def magic_outcome(email: str) -> str | None:
    """The outcome an email's local part chooses, if any (letter case ignored)."""
    local = email.rpartition("@")[0].casefold()
    return next((outcome for suffix, outcome in MAGIC_SUFFIXES.items() if local.endswith(suffix)), None)
