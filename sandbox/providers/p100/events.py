"""P100's callbacks and what it decides later (reference: ../shared/reference/p100-user-api.md §5, §6).

Delivery [doc] (https://partner-api-docs.p100.io/webhooks-4456131f0, faq-1299898m0): a JSON POST to the
partner's URL plus the event's path, with `Authorization: <the partner's secret token>` (the token itself:
no HMAC, no timestamp); only 200 OK acknowledges; 5 attempts, retried about 8, 16, 32 and 64 s after a
failure.

Each event's body is as documented; where the docs are silent (the partner-side path of the KYC
verification status and crypto deposit webhooks, the POA webhook's fields) the choice is marked [inferred]
here and `x-provenance: inferred` in the document's `x-webhooks`.

What P100 decides later is a `Kind` each: its default is what the sandbox did before it had a clock
(KYC and POA wait for a control; files, transfers, withdrawals and deposits settle at once). A magic
value in the user's email chooses one user's outcome, since P100 has no request field for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sandbox.core import redact
from sandbox.core.errors import DOCUMENTED, INFERRED
from sandbox.core.outcomes import IMMEDIATE, MANUAL, Kind, Magic
from sandbox.core.webhooks import Event, Target, WebhookPolicy
from sandbox.providers.p100.errors import DOCS, GH

WEBHOOKS_DOC = f"{DOCS}/webhooks-4456131f0"
GH_WEBHOOKS = f"{GH}/api-for-us/webhook"
AUTHORIZATION = "Authorization"


class P100Webhooks(WebhookPolicy):
    retries = (timedelta(seconds=8), timedelta(seconds=16), timedelta(seconds=32), timedelta(seconds=64))
    description = (
        "P100 POSTs each event as JSON to the URL plus the event's path (x-webhooks lists them), with the header "
        "`Authorization: <secret>`: the secret token itself, no signature (documented; with no secret set the "
        "header is left out, inferred). Only 200 OK acknowledges (documented); anything else is retried about "
        "8, 16, 32 and 64 s of sandbox time after each failure, 5 attempts in all, then given up (documented). "
        "The outbox shows the header's first 4 characters."
    )

    def headers(self, body: bytes, target: Target, message_id: str, published: datetime) -> dict[str, str]:
        return {AUTHORIZATION: target.secret} if target.secret else {}

    def acknowledged(self, status: int) -> bool:
        return status == 200

    def shown(self, name: str, value: str) -> str:
        return redact.shown(value) if name.lower() == AUTHORIZATION.lower() else value


WEBHOOKS = P100Webhooks()


# -- the events: each path as the partner receives it (appended to its URL) -----------------------------
@dataclass(frozen=True)
class Callback:
    """One documented callback, as the document's x-webhooks lists it."""

    path: str
    when: str
    example: dict
    provenance: str
    source: str

    def entry(self) -> dict:
        return {"path": self.path, "when": self.when, "example": self.example, "x-provenance": self.provenance,
                "x-source": self.source}


USER_ID = "bca65c48-df49-4831-a7b2-de7903321581"  # the docs' sample externalUserId
USER_STATUS = Callback(
    "/webhook/user/status", "The user's balances are activated by Add User Verification (fiat ACTIVE).",
    {"externalUserId": USER_ID, "status": "ACTIVE"}, DOCUMENTED, GH_WEBHOOKS)
KYC_STATUS = Callback(
    "/webhook/kyc-verification/status",
    "Each change of the user's KYC: a verification created (PENDING), KYC files added (VERIFICATION), each step "
    "of a decision (VERIFICATION, then SUCCESSFUL or REJECTED_BY_PROVIDER), a control's change. The body is "
    "documented; the path is not (inferred, after the page's name).",
    {"externalUserId": USER_ID, "verificationStatus": "NOT_VERIFIED", "attemptStatus": "REJECTED_BY_PROVIDER",
     "rejectionReason": "NO_FACE_FOUND"}, INFERRED, f"{DOCS}/kyc-verification-status-19868999e0")
KYC_FILES = Callback(
    "/webhook/kyc-files/status", "KYC files were processed: ADDED (queued for verification) or ERROR.",
    {"externalUserId": USER_ID, "status": "ADDED"}, DOCUMENTED, f"{DOCS}/-kyc-file-added-webhook-19868429e0")
POA_STATUS = Callback(
    "/webhook/poa-verification/status",
    "Each change of the proof of address: WAITING (files sent), APPROVED, REJECTED or QUESTIONED. The path and "
    "the statuses are documented; the fields are not (inferred: externalUserId and status).",
    {"externalUserId": USER_ID, "status": "APPROVED"}, INFERRED, f"{DOCS}/poa-verification-status-19868998e0")
TRANSFER = Callback(
    "/transfer-webhook", "An internal transfer is decided: SUCCESSFUL, or FAILED with its error (inferred).",
    {"id": "8c394557-ba48-4ab4-9349-84d396b4a7f7", "sourceExternalUserId": USER_ID,
     "destinationExternalUserId": None, "amount": 10, "currency": "eur", "status": "SUCCESSFUL",
     "createdAt": "2025-01-20T11:04:29.719Z", "error": None}, DOCUMENTED, GH_WEBHOOKS)
CRYPTO_WITHDRAWAL = Callback(
    "/crypto-withdrawal-webhook",
    "A crypto withdrawal is decided: SUCCESSFUL with its transactionHash, or FAILED (its amount and fee given "
    "back). The fields are documented; the status values are not (inferred).",
    {"id": "82230288-d03b-485c-968e-8870244bb517", "amount": 0.002, "fee": 0.0003, "destination": "tb1qsandbox",
     "status": "SUCCESSFUL", "transactionHash": "0x10d5bd43...", "currency": {"currency": "btc", "network": "btc"},
     "createdAt": "2025-03-20T11:34:37.646Z", "user": {"externalUserId": USER_ID}}, DOCUMENTED, GH_WEBHOOKS)
CRYPTO_DEPOSIT = Callback(
    "/crypto-deposit-webhook",
    "Each status of a crypto deposit: WAITING_FOR_VERIFICATION (seen on chain), then SUCCESSFUL, UNSUCCESSFUL or "
    "WAITING_FOR_TR_DATA, and SUCCESSFUL once Update Travel Rule releases it. The body is documented (the flat "
    "form); the path is not (inferred, after /crypto-withdrawal-webhook).",
    {"externalUserId": USER_ID, "cryptoDepositId": "facc5951-bdc8-46bc-a01c-9b36f25be6af", "amount": 0.001,
     "currency": "eth", "status": "WAITING_FOR_TR_DATA", "transactionHash": "0x10d5bd43...",
     "createdAt": "2025-03-20T11:34:37.646Z"}, INFERRED, f"{DOCS}/crypto-deposit-19869098e0")
CALLBACKS = (USER_STATUS, KYC_STATUS, KYC_FILES, POA_STATUS, TRANSFER, CRYPTO_WITHDRAWAL, CRYPTO_DEPOSIT)


def _event(callback: Callback, body: dict) -> Event:
    """The outbox names an event by its path, as P100 routes it."""
    return Event(callback.path, body, path=callback.path)


def _number(amount: str) -> int | float:
    """An amount where the webhooks show a JSON number (10, 0.001)."""
    value = Decimal(amount)
    return int(value) if value == value.to_integral_value() else float(value)


def user_status(external_user_id: str, status: str) -> Event:
    return _event(USER_STATUS, {"externalUserId": external_user_id, "status": status})


def kyc_status(external_user_id: str, kyc: dict) -> Event:
    return _event(KYC_STATUS, {"externalUserId": external_user_id, "verificationStatus": kyc["verificationStatus"],
                               "attemptStatus": kyc["attemptStatus"], "rejectionReason": kyc["rejectionReason"]})


def kyc_files(external_user_id: str, status: str) -> Event:
    return _event(KYC_FILES, {"externalUserId": external_user_id, "status": status})


def poa_status(external_user_id: str, status: str) -> Event:
    return _event(POA_STATUS, {"externalUserId": external_user_id, "status": status})


def transfer(record: dict) -> Event:
    return _event(TRANSFER, {
        "id": record["key"], "sourceExternalUserId": record["sourceExternalUserId"],
        "destinationExternalUserId": record["destinationExternalUserId"], "amount": _number(record["amount"]),
        "currency": record["currency"], "status": record["status"], "createdAt": record["createdAt"],
        "error": record["error"]})


def crypto_withdrawal(record: dict) -> Event:
    return _event(CRYPTO_WITHDRAWAL, {
        "id": record["key"], "amount": _number(record["amount"]), "fee": _number(record["fee"]),
        "destination": record["destination"], "status": record["status"],
        "transactionHash": record["transactionHash"], "currency": record["currency"],
        "createdAt": record["createdAt"], "user": {"externalUserId": record["externalUserId"]}})


def crypto_deposit(record: dict) -> Event:
    return _event(CRYPTO_DEPOSIT, {
        "externalUserId": record["externalUserId"], "cryptoDepositId": record["key"],
        "amount": _number(record["amount"]), "currency": record["currency"], "status": record["status"],
        "transactionHash": record["transactionHash"], "createdAt": record["createdAt"]})


# -- what P100 decides later ------------------------------------------------------------------------------
KYC = Kind(
    "kyc", "A KYC verification (Creating KYC Verification, or KYC files once ADDED): PENDING until decided, then "
    "VERIFICATION and SUCCESSFUL (verificationStatus VERIFIED) or REJECTED_BY_PROVIDER with a rejectionReason "
    "(NO_FACE_FOUND unless a reason is given); the control POST /users/{id}/kyc decides too.",
    ("SUCCESSFUL", "REJECTED_BY_PROVIDER"), default=MANUAL, reasons={"REJECTED_BY_PROVIDER": "NO_FACE_FOUND"})
KYC_FILES_CHECK = Kind(
    "kyc_files", "Add KYC File's processing: ADDED (the KYC attempt goes to VERIFICATION, then as `kyc` says) or "
    "ERROR (nothing kept). The answer shows the status when it is decided at once, else PROCESSING (inferred).",
    ("ADDED", "ERROR"), default=IMMEDIATE)
POA = Kind(
    "poa", "A proof of address under review (WAITING once its files are sent): APPROVED, REJECTED or QUESTIONED; "
    "the control POST /users/{id}/kyc (poaStatus) decides too.", ("APPROVED", "REJECTED", "QUESTIONED"),
    default=MANUAL)
TRANSFER_SETTLEMENT = Kind(
    "transfer", "An internal transfer: PROCESSING (the debited side already debited, inferred) until SUCCESSFUL "
    "(credited) or FAILED (given back, with an error).", ("SUCCESSFUL", "FAILED"), default=IMMEDIATE,
    reasons={"FAILED": "Transfer failed"})
SEPA_SETTLEMENT = Kind(
    "sepa_transfer", "A SEPA transfer (accepted whatever the balance, documented): PROCESSING until SUCCESSFUL "
    "(amount and fee debited then; FAILED with insufficient-funds if the balance cannot pay) or FAILED with the "
    "reason as its errorName.", ("SUCCESSFUL", "FAILED"), default=IMMEDIATE,
    reasons={"FAILED": "rejected-by-bank"})
WITHDRAWAL_SETTLEMENT = Kind(
    "crypto_withdrawal", "A crypto withdrawal: PROCESSING (amount and fee already debited, inferred) until "
    "SUCCESSFUL (with its transactionHash) or FAILED (amount and fee given back).", ("SUCCESSFUL", "FAILED"),
    default=IMMEDIATE, reasons={"FAILED": "Withdrawal failed"})
DEPOSIT_CHECK = Kind(
    "crypto_deposit", "A crypto deposit seen on chain (the sandbox control): WAITING_FOR_VERIFICATION until "
    "SUCCESSFUL (credited), UNSUCCESSFUL (never credited) or WAITING_FOR_TR_DATA (held until Update Travel Rule). "
    "Below the network's minDeposit it is UNSUCCESSFUL, and holdForTravelRule holds it, whatever is set.",
    ("SUCCESSFUL", "UNSUCCESSFUL", "WAITING_FOR_TR_DATA"), default=IMMEDIATE)
OUTCOMES: tuple[Kind, ...] = (KYC, KYC_FILES_CHECK, POA, TRANSFER_SETTLEMENT, SEPA_SETTLEMENT, WITHDRAWAL_SETTLEMENT,
                              DEPOSIT_CHECK)

#: the user's email local part ending with the suffix (before the @) chooses that user's outcome
EMAIL_MAGIC = {
    "+kyc_rejected": (KYC.name, "REJECTED_BY_PROVIDER"),
    "+kyc_files_error": (KYC_FILES_CHECK.name, "ERROR"),
    "+poa_rejected": (POA.name, "REJECTED"),
    "+poa_questioned": (POA.name, "QUESTIONED"),
}
MAGIC: tuple[Magic, ...] = tuple(
    Magic("email", f"local part ends with {suffix} (e.g. ada{suffix}@example.pl)",
          f"the user's {kind} outcome is {outcome}, whatever the API key's setting")
    for suffix, (kind, outcome) in EMAIL_MAGIC.items())


def magic_outcome(kind: str, email: str | None) -> str | None:
    """The outcome a user's email chooses for `kind`, if it chooses one."""
    local = (email or "").rpartition("@")[0].lower()
    return next((outcome for suffix, (named, outcome) in EMAIL_MAGIC.items()
                 if named == kind and local.endswith(suffix)), None)

