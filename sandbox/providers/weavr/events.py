"""Weavr's callbacks, and what it decides later.

Webhooks, as Weavr's official webhooks spec documents them [spec:
webhooks-consumers.openapi.yml]: each event is POSTed to the api-key's URL
plus the event's path, its body exactly the spec's schema, with the headers
`call-ref`, `published-timestamp` (epoch ms), `signature` =
base64(HmacSHA256(published-timestamp)) and `signature-v2` =
base64(HmacSHA256(call-ref + payload + published-timestamp)), both keyed
with the api-key. The receiver answers 204 [spec]. [inferred] Any 2xx
acknowledges; the retry schedule (RETRIES) is undocumented.

The events and when the sandbox sends them:
  /consumers/kyc/watch                 KycEvent, on every change of a consumer's KYC [spec]: started
                                       (INITIATED), reviewed, approved, rejected (control, simulator, plan)
  /consumers/consumer_activated/watch  [inferred] when a consumer's KYC is first approved (Weavr's
                                       compliance, so actionDoneBy ADMIN), after its KycEvent
  /consumers/consumer_deactivated/watch  never: nothing in the served API deactivates a consumer
  /fees/watch                          ChargeFeeEvent (type COMPLETED), when a fee charge completes [spec]
  /login/watch                         LoginEvent, on each POST /login_with_password of a known email:
                                       VERIFIED or DECLINED [spec]; [inferred] an unknown email names no
                                       credential, so it sends none

What Weavr decides later (outcome kinds; a tenant picks with PUT
/_sandbox/weavr/outcomes or `outcomes:` in the scenario):
  kyc  a consumer's KYC once POST /multi/consumers/kyc starts it: APPROVED, or REJECTED with a reason;
       manual unless set (today's behaviour: a control or the simulator decides)
  fee  a fee charge's completion: immediate unless set (completed in the charging request, which answers
       COMPLETED as Weavr's QA saw); held (after, manual), the answer says INITIALISED (the spec's sample
       state) until it completes
Magic values (MAGIC): a root user's email chooses that consumer's KYC outcome."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta

from sandbox.core.outcomes import IMMEDIATE, MANUAL, Kind, Magic
from sandbox.core.webhooks import Event, Target, WebhookPolicy

# -- the events' paths [spec] -------------------------------------------------------------------
KYC_WATCH = "/consumers/kyc/watch"
ACTIVATED_WATCH = "/consumers/consumer_activated/watch"
DEACTIVATED_WATCH = "/consumers/consumer_deactivated/watch"  # never sent: nothing served deactivates
FEES_WATCH = "/fees/watch"
LOGIN_WATCH = "/login/watch"

# -- values the spec leaves open -----------------------------------------------------------------
#: [inferred] how long after a failed attempt the next one goes (Weavr documents no schedule): 5 retries in ~15 h
RETRIES = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
           timedelta(hours=12))
#: [inferred] who activates a consumer whose KYC is approved: Weavr's compliance (ActionDoneBy ADMIN)
ACTIVATED_BY = "ADMIN"
#: [inferred] LoginEvent.type, "login type can be with password or with auth/access token" [spec]
LOGIN_TYPE = "PASSWORD"
LOGIN_VERIFIED, LOGIN_DECLINED = "VERIFIED", "DECLINED"  # [spec] LoginEventLoginEventStatus
#: [inferred] a charge's fee type is the programme's own name (PRINTED_CARD_ACCOUNT_STATEMENT): in the event,
#: FeeType CUSTOM with that name as feeSubType (maxLength 50 [spec]); its feeSpec a FLAT amount
EVENT_FEE_TYPE, FEE_SPEC_TYPE, FEE_SUB_TYPE_MAX = "CUSTOM", "FLAT", 50
FEE_EVENT_TYPE = "COMPLETED"  # [spec] ChargeFeeEventType
KYC_REJECTION_REASONS = (  # [spec] KycRejectionReason
    "UNDEFINED_KYC_FAILURE_REASON", "DOCUMENTS_UNSATISFACTORY", "SUPPLIED_DATA_AND_DOCUMENTS_MISMATCH",
    "LANGUAGE_IN_DOCUMENTS_UNSUPPORTED", "SELFIE_UNSATISFACTORY", "SELFIE_AND_DOCUMENTS_MISMATCH", "OTHER",
    "UNSUPPORTED_COUNTRY", "PEP_STATUS", "REJECTED_DUPLICATE", "EXPIRED_KYC_DOCUMENTS")
#: [inferred] a rejection's reason when none is given
DEFAULT_REJECTION = "DOCUMENTS_UNSATISFACTORY"
#: [inferred] a reason that is not a KycRejectionReason is the rejectionComment, its detail OTHER
OTHER_REJECTION = "OTHER"

# -- what Weavr decides later ------------------------------------------------------------------------
APPROVED, REJECTED, COMPLETED = "APPROVED", "REJECTED", "COMPLETED"
KYC = Kind("kyc", "A consumer's KYC review, once POST /multi/consumers/kyc starts it (or starts it again): "
                  "APPROVED, or REJECTED with a `reason` (a KycRejectionReason goes in the KycEvent's `details`; "
                  "any other text is its `rejectionComment`, with details [OTHER]). Each change sends "
                  "/consumers/kyc/watch. Manual unless set: POST /_sandbox/weavr/consumers/{id}/kyc or the "
                  "simulator's verify decides.",
           (APPROVED, REJECTED), default=MANUAL, reasons={REJECTED: DEFAULT_REJECTION})
FEE = Kind("fee", "A fee charge's completion (POST /multi/consumers/fees/charge). immediate (the default): "
                  "completed in the charging request, which answers state COMPLETED [QA]; after or manual: the "
                  "answer says INITIALISED and the fee is held (debited) until it completes (manual: POST "
                  "/_sandbox/weavr/fee_charges/{id}/complete). Completion sends /fees/watch.",
           (COMPLETED,), default=IMMEDIATE)
OUTCOMES = (KYC, FEE)

#: [inferred] the local part of the root user's email (case-insensitive) picks the consumer's KYC outcome
MAGIC_SUFFIXES = {"+kyc_approved": APPROVED, "+kyc_rejected": REJECTED}
MAGIC = tuple(Magic("rootUser.email", f"local part ends {suffix}",
                    f"the consumer's KYC is {outcome} once started: immediately, or after the api-key's kyc "
                    f"delay when its progression is `after`" + (f" (reason {DEFAULT_REJECTION})"
                                                               if outcome == REJECTED else ""))
              for suffix, outcome in MAGIC_SUFFIXES.items())


def magic_outcome(email: str) -> str | None:
    """The KYC outcome the email's local part asks for, if any."""
    local = email.rpartition("@")[0].casefold()
    return next((outcome for suffix, outcome in MAGIC_SUFFIXES.items() if local.endswith(suffix)), None)


class WeavrWebhooks(WebhookPolicy):
    """Signed with the api-key, as Weavr's webhooks spec says."""

    retries = RETRIES
    description = ("Weavr signs with the api-key [spec]: `signature` = base64(HmacSHA256(published-timestamp)) "
                   "(deprecated), `signature-v2` = base64(HmacSHA256(call-ref + payload + published-timestamp)), "
                   "with `call-ref` and `published-timestamp` (epoch ms) sent along; so the endpoint takes only a "
                   "`url` (a `secret` sent is ignored). Each event goes to the url plus its path (/consumers/kyc/"
                   "watch, /consumers/consumer_activated/watch, /fees/watch, /login/watch). The receiver answers "
                   "204 [spec]; any 2xx acknowledges, anything else is retried after 1, 5 and 30 minutes, 2 and "
                   "12 hours of sandbox time, then given up (inferred: Weavr documents no schedule).")

    def secret(self, tenant: str, given: str) -> str:
        return tenant  # the api-key is the tenant

    def headers(self, body: bytes, target: Target, message_id: str, published: datetime) -> dict[str, str]:
        timestamp = str(epoch_ms(published))
        return {"call-ref": message_id, "published-timestamp": timestamp,
                "signature": sign(target.secret, timestamp.encode()),
                "signature-v2": sign(target.secret, message_id.encode() + body + timestamp.encode())}


WEBHOOKS = WeavrWebhooks()


def sign(api_key: str, message: bytes) -> str:
    """base64(HmacSHA256(message)) keyed with the api-key [spec]."""
    return base64.b64encode(hmac.new(api_key.encode(), message, hashlib.sha256).digest()).decode()


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


# -- the events' bodies, as the spec's schemas --------------------------------------------------------
def kyc_event(consumer_id: int, email: str, kyc: dict, at_ms: int, rejection: dict | None = None) -> Event:
    """KycEvent: the consumer's KYC as GET /consumers/kyc shows it, and why it was rejected."""
    body = {"consumerId": str(consumer_id), "consumerEmail": email, "status": kyc["fullDueDiligence"],
            "ongoingStatus": kyc["ongoingFullDueDiligence"], "kycLevel": kyc["kycLevel"],
            "ongoingKycLevel": kyc["ongoingKycLevel"], "eventTimestamp": str(at_ms)}
    if rejection and REJECTED in (kyc["fullDueDiligence"], kyc["ongoingFullDueDiligence"]):
        body["details"] = list(rejection["details"])
        if rejection.get("rejectionComment"):
            body["rejectionComment"] = rejection["rejectionComment"]
    return Event(KYC_WATCH, body, path=KYC_WATCH)


def rejection_of(reason: str | None) -> dict:
    """An outcome's reason as the KycEvent's `details` and `rejectionComment`."""
    reason = reason or DEFAULT_REJECTION
    if reason in KYC_REJECTION_REASONS:
        return {"details": [reason], "rejectionComment": None}
    return {"details": [OTHER_REJECTION], "rejectionComment": reason}


def activated_event(email: str) -> Event:
    """IdentityActivatedEvent."""
    return Event(ACTIVATED_WATCH, {"actionDoneBy": ACTIVATED_BY, "emailAddress": email}, path=ACTIVATED_WATCH)


def fee_event(charge_id: int, charge: dict, published_ms: int) -> Event:
    """ChargeFeeEvent of a completed charge (its amount as a FLAT fee spec, in minor units)."""
    amount = charge["availableBalanceAdjustment"]
    body = {"chargeFee": {"id": str(charge_id), "feeType": EVENT_FEE_TYPE, "feeSubType": charge["feeType"],
                          "source": dict(charge["source"]),
                          "feeSpec": {"type": FEE_SPEC_TYPE, "flatAmount": [
                              {"currency": amount["currency"], "amount": str(-amount["amount"])}]},
                          "profileId": charge["profileId"]},
            "publishedTimestamp": str(published_ms), "type": FEE_EVENT_TYPE}
    return Event(FEES_WATCH, body, path=FEES_WATCH)


def login_event(consumer_id: int, status: str, published_ms: int) -> Event:
    """LoginEvent of a consumer's root user."""
    body = {"credential": {"type": "ROOT", "id": str(consumer_id)},
            "identity": {"type": "CONSUMER", "id": str(consumer_id)}, "type": LOGIN_TYPE, "status": status,
            "publishedTimestamp": str(published_ms)}
    return Event(LOGIN_WATCH, body, path=LOGIN_WATCH)
