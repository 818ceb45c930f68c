"""Consumers: create, read, update, the root user's email verification and
password, login and access tokens, and KYC. Every record belongs to the
api-key (tenant) that created it. A login and each change of KYC tell the
api-key's webhook endpoint (events.py); a KYC start plans its decision."""

from __future__ import annotations

from dataclasses import dataclass

import pycountry

from sandbox.core.context import Context
from sandbox.core.errors import Condition, Problem
from sandbox.core.lifecycle import IllegalMove
from sandbox.core.outcomes import Outcome
from sandbox.core.store import Collection, Index, UniqueViolation
from sandbox.providers.weavr import constants as k
from sandbox.providers.weavr import errors as e
from sandbox.providers.weavr import events as ev
from sandbox.providers.weavr.errors import WeavrError
from sandbox.providers.weavr.services.auth import (
    AuthService,
    Caller,
    ConsumerCaller,
    TokenCaller,
    hash_password,
    password_matches,
    password_problem,
)
from sandbox.providers.weavr.services.idempotency import Idempotency
from sandbox.providers.weavr.services.notify import Notifier

CONSUMER_INDEXES = (
    Index("email", ("email_key",), unique=True),
    Index("pending_email", ("pending_email_key",), unique=True),
)


@dataclass
class Rules:
    """What the scenario allows: currencies, countries, blocked email domains."""

    currencies: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    blocked_email_domains: frozenset[str] = frozenset()


def email_key(email: str) -> str:
    return email.casefold()


class ConsumerService:
    def __init__(self, context: Context, consumers: Collection, auth: AuthService, idempotency: Idempotency,
                 notify: Notifier):
        self.context = context
        self.consumers = consumers
        self.auth = auth
        self.idempotency = idempotency
        self.notify = notify
        self.rules = Rules()

    # -- create, get, update -----------------------------------------------------------
    def create(self, caller: Caller, body: dict, reference: str | None = None, *, seeding: bool = False) -> dict:
        """A new consumer; with an idempotency-ref, the first success again. `seeding`: a scenario's
        consumer, whose mobile is the scenario loader's own (valid) constant: not checked, so serving
        the default scenario does not import phonenumbers (~25 ms of start-up) for it."""
        return self.idempotency.run(caller.tenant, reference, "consumerCreate", body,
                                    lambda: self._create(caller, body, seeding))

    def _create(self, caller: Caller, body: dict, seeding: bool = False) -> dict:
        root = body["rootUser"]
        if body["profileId"] != caller.programme.profile_id:
            if any(p.profile_id == body["profileId"] for p in self.auth.programmes.values()):
                raise WeavrError.of(e.PROFILE_FORBIDDEN)  # [QA] another innovator's programme: 403
            raise WeavrError.of(e.PROFILE_NOT_FOUND)
        self._check_email_domain(root["email"])
        if not seeding:
            _check_mobile(root["mobile"])
        self._check_common(caller, body.get("baseCurrency"), body.get("feeGroup"), root["address"]["country"],
                           currency_code=e.CURRENCY_UNSUPPORTED)
        root_user = {**root, "active": True, "emailVerified": False, "mobileNumberVerified": False}
        record = {
            "profileId": body["profileId"], "tag": body.get("tag"), "rootUser": root_user,
            "creationTimestamp": self._now_ms(), "ipAddress": body["ipAddress"],
            "acceptedTerms": body.get("acceptedTerms"), "baseCurrency": body.get("baseCurrency"),
            "feeGroup": body.get("feeGroup", k.DEFAULT_FEE_GROUP), "sourceOfFunds": body.get("sourceOfFunds"),
            "sourceOfFundsOther": body.get("sourceOfFundsOther"),
            "email_key": email_key(root["email"]), "pending_email": None, "pending_email_key": None,
            "pending_email_at": None, "code_sent": False, "password": None,
            "kyc": {"fullDueDiligence": k.NOT_STARTED, "kycLevel": k.DEFAULT_KYC_LEVEL,
                    "ongoingFullDueDiligence": k.NOT_STARTED, "ongoingKycLevel": k.DEFAULT_KYC_LEVEL},
        }
        with self.context.store.transaction():
            if self.consumers.find(caller.tenant, "pending_email", record["email_key"]):
                raise WeavrError.of(e.ROOT_EMAIL_NOT_UNIQUE)
            try:
                consumer_id = self.consumers.insert(caller.tenant, record)
            except UniqueViolation:
                raise WeavrError.of(e.ROOT_EMAIL_NOT_UNIQUE) from None
            return view(self.consumers.get(caller.tenant, consumer_id))

    def get(self, caller: ConsumerCaller) -> dict:
        return view(self._own(caller))

    def update(self, caller: ConsumerCaller, body: dict) -> dict:
        with self.context.store.transaction():
            record = self._own(caller)
            root = record["rootUser"]
            if record["kyc"]["fullDueDiligence"] == k.APPROVED and any(
                    name in body and _differs(body[name], root.get(name)) for name in k.KYC_FROZEN_FIELDS):
                raise WeavrError.of(e.CONSUMER_VERIFIED)
            if "mobile" in body:
                _check_mobile(body["mobile"])
            country = body["address"]["country"] if "address" in body else None
            self._check_common(caller, body.get("baseCurrency"), body.get("feeGroup"), country, currency_code=None)
            changes: dict = {}
            if "email" in body and email_key(body["email"]) != record["email_key"]:
                changes |= self._stage_email(caller, record, body["email"])
            root_changes = {name: body[name] for name in ("name", "surname", "mobile", "dateOfBirth", "address",
                                                           "occupation", "placeOfBirth", "nationality", "locale",
                                                           "brand") if name in body}
            if "userTag" in body:
                root_changes["tag"] = body["userTag"]
            if "mobile" in root_changes and root_changes["mobile"] != root.get("mobile"):
                root_changes["mobileNumberVerified"] = False
            changes["rootUser"] = {**root, **root_changes}
            changes |= {name: body[name] for name in ("tag", "feeGroup", "baseCurrency", "sourceOfFunds",
                                                      "sourceOfFundsOther") if name in body}
            self.consumers.update(caller.tenant, record["id"], changes)
        return self.get(caller)

    def _stage_email(self, caller: Caller, record: dict, new_email: str) -> dict:
        """[QA] An email change waits for the new address to be verified."""
        self._check_email_domain(new_email)
        key = email_key(new_email)
        holder = self.consumers.find(caller.tenant, "email", key) or self.consumers.find(
            caller.tenant, "pending_email", key)
        if holder is not None and holder["id"] != record["id"]:
            raise WeavrError.of(e.EMAIL_NOT_UNIQUE)
        now = self.context.clock.timestamp()
        if record["pending_email"] and now - record["pending_email_at"] < k.EMAIL_CHANGE_BLOCK_SECONDS:
            raise WeavrError.of(e.TOO_FREQUENT_EMAIL_CHANGES)
        return {"pending_email": new_email, "pending_email_key": key, "pending_email_at": now, "code_sent": False}

    # -- email verification ------------------------------------------------------------------
    def send_verification(self, caller: Caller, email: str) -> None:
        """[QA] 204 again when already sent or verified; the code is always 123456."""
        with self.context.store.transaction():
            record = self._by_email(caller, email)
            if record is None:
                raise WeavrError.of(e.EMAIL_NOT_FOUND)
            self.consumers.update(caller.tenant, record["id"], {"code_sent": True})

    def verify_email(self, caller: Caller, email: str, code: str) -> None:
        with self.context.store.transaction():
            record = self._by_email(caller, email)
            if record is None or code != k.SANDBOX_VERIFICATION_CODE or not record["code_sent"]:
                raise WeavrError.of(e.VERIFICATION_CODE_INVALID)
            key = email_key(email)
            root = record["rootUser"]
            if key == record["pending_email_key"]:
                root = {**root, "email": record["pending_email"], "emailVerified": True}
                changes = {"email_key": key, "pending_email": None, "pending_email_key": None,
                           "pending_email_at": None}
            elif root["emailVerified"]:
                raise WeavrError.of(e.VERIFICATION_CODE_INVALID)
            else:
                root, changes = {**root, "emailVerified": True}, {}
            self.consumers.update(caller.tenant, record["id"], {**changes, "rootUser": root, "code_sent": False})

    def _by_email(self, caller: Caller, email: str) -> dict | None:
        key = email_key(email)
        return self.consumers.find(caller.tenant, "email", key) or self.consumers.find(
            caller.tenant, "pending_email", key)

    # -- password, login, access token -----------------------------------------------------------
    def create_password(self, caller: Caller, user_id: str, value: str) -> dict:
        """The root user's first password; answers a usable auth token."""
        if not (user_id.isascii() and user_id.isdigit()):  # [spec] UserId ^[0-9]+$; [QA] REGEX
            raise WeavrError([Problem(e.REGEX, "user_id", {"values": []})])
        with self.context.store.transaction():
            record = self.consumers.get(caller.tenant, int(user_id)) if len(user_id) < 20 else None
            if record is None:
                raise WeavrError.of(e.UNRESOLVED_IDENTITY)
            if record["password"]:
                raise WeavrError.of(e.PASSWORD_ALREADY_CREATED)
            problem = password_problem(value)
            if problem is not None:
                raise WeavrError.of(problem)
            self.consumers.update(caller.tenant, record["id"], {"password": hash_password(value)})
            token = self.auth.issue(caller, record["id"], k.TOKEN_AUTH)
        return {"passwordInfo": {"identityId": identity(record["id"]), "expiryDate": 0}, "token": token}

    def login(self, caller: Caller, email: str, password: str) -> dict:
        """[QA] a root user logs in only once the email is verified; every
        refusal is the same bodiless 403. A known email's attempt sends a
        LoginEvent (VERIFIED or DECLINED); an unknown one names no credential."""
        record = self.consumers.find(caller.tenant, "email", email_key(email))
        if record is None:
            raise WeavrError.of(e.LOGIN_FORBIDDEN)
        if not password_matches(record["password"], password) or not record["rootUser"]["emailVerified"]:
            self.notify.emit(caller.tenant, ev.login_event(record["id"], ev.LOGIN_DECLINED, self.notify.now_ms()))
            raise WeavrError.of(e.LOGIN_FORBIDDEN)
        token = self.auth.issue(caller, record["id"], k.TOKEN_AUTH)
        self.notify.emit(caller.tenant, ev.login_event(record["id"], ev.LOGIN_VERIFIED, self.notify.now_ms()))
        return {"token": token, "tokenType": k.TOKEN_AUTH, "identity": identity(record["id"]),
                "credentials": {"type": "ROOT", "id": str(record["id"])}}

    def access_token(self, caller: TokenCaller, wanted: dict, body_token: str | None) -> dict:
        """The bearer auth token (or, without one, the body's `token`) of this
        api-key's consumer, exchanged for an access token for that identity."""
        token = self.auth.live_token(caller.auth_token or body_token)
        if token is None or token["api_key"] != caller.tenant or wanted["type"] != "CONSUMER" \
                or wanted["id"] != str(token["consumer_id"]):
            raise WeavrError.of(e.ACCESS_TOKEN_FORBIDDEN)
        value = self.auth.issue(caller, token["consumer_id"], k.TOKEN_ACCESS)
        return {"token": value, "identity": identity(token["consumer_id"]),
                "credentials": {"type": "ROOT", "id": str(token["consumer_id"])}, "status": "STANDARD"}

    # -- KYC ------------------------------------------------------------------------------------
    def kyc(self, caller: ConsumerCaller) -> dict:
        return dict(self._own(caller)["kyc"])

    def start_kyc(self, caller: ConsumerCaller, level: str | None) -> dict:
        """INITIATED (its KycEvent), and its decision planned on the api-key's
        `kyc` outcome (a magic email chooses the consumer's)."""
        level = level or k.DEFAULT_KYC_LEVEL
        with self.context.store.transaction():
            record = self._own(caller)
            kyc = record["kyc"]
            if not record["rootUser"]["emailVerified"]:
                raise WeavrError.of(e.EMAIL_UNVERIFIED)
            if kyc["ongoingFullDueDiligence"] == k.PENDING_REVIEW:
                raise WeavrError.of(e.KYC_PENDING_REVIEW)
            if kyc["ongoingFullDueDiligence"] == k.REJECTED:
                raise WeavrError.of(e.KYC_REJECTED)
            approved = kyc["fullDueDiligence"] == k.APPROVED
            if approved and k.KYC_LEVELS.index(level) <= k.KYC_LEVELS.index(kyc["kycLevel"]):
                raise WeavrError.of(e.KYC_ALREADY_APPROVED)
            k.KYC.move(kyc["ongoingFullDueDiligence"], k.INITIATED, self.context.clock)
            kyc = {**kyc, "ongoingFullDueDiligence": k.INITIATED, "ongoingKycLevel": level}
            if not approved:  # [QA] an upgrade keeps the approved level as it is
                kyc |= {"fullDueDiligence": k.INITIATED, "kycLevel": level}
            # each start is an attempt: a decision planned for an earlier one no longer applies
            attempt = record.get("kyc_attempt", 0) + 1
            self.consumers.update(caller.tenant, record["id"], {"kyc": kyc, "kyc_attempt": attempt})
        self._kyc_changed(caller.tenant, record, kyc)
        consumer_id, email = record["id"], record["rootUser"]["email"]
        self.notify.plan(caller.tenant, ev.KYC.name, f"consumer {consumer_id}",
                         lambda outcome: self._decide_planned(caller, consumer_id, attempt, outcome),
                         outcome=ev.magic_outcome(email))
        reference = k.FIRST_KYC_REFERENCE + (record["id"] - k.FIRST_CONSUMER_ID) * 10 + k.KYC_LEVELS.index(level)
        return {"reference": str(reference), "kycLevel": level}

    def decide_kyc(self, caller: Caller, consumer_id: int, status: str, *, verify_contacts: bool = False,
                   details: list[str] | None = None, comment: str | None = None) -> dict:
        """Move the ongoing KYC (simulator verify: APPROVED, and email and
        mobile verified with it; sandbox control and plans: any, KYC only); a
        rejection keeps its `details` and `comment` for its KycEvent."""
        with self.context.store.transaction():
            record = self.require(caller, consumer_id)
            kyc = record["kyc"]
            current = kyc["ongoingFullDueDiligence"]
            try:
                k.KYC.move(current, status, self.context.clock)
            except IllegalMove:
                raise WeavrError.of(e.KYC_MOVE_NOT_ALLOWED) from None
            kyc = {**kyc, "ongoingFullDueDiligence": status}
            if status == k.APPROVED:
                kyc |= {"fullDueDiligence": k.APPROVED, "kycLevel": kyc["ongoingKycLevel"]}
            elif kyc["fullDueDiligence"] != k.APPROVED:
                kyc["fullDueDiligence"] = status
            changes: dict = {"kyc": kyc}
            if status == k.REJECTED:
                changes["kyc_rejection"] = {"details": list(details or [ev.DEFAULT_REJECTION]),
                                            "rejectionComment": comment}
            if verify_contacts:  # [spec] the simulator also verifies email and mobile
                changes["rootUser"] = {**record["rootUser"], "emailVerified": True, "mobileNumberVerified": True}
            self.consumers.update(caller.tenant, record["id"], changes)
        self._kyc_changed(caller.tenant, record, kyc, changes.get("kyc_rejection"))
        return dict(kyc)

    def _decide_planned(self, caller: Caller, consumer_id: int, attempt: int, outcome: Outcome) -> None:
        """A planned decision, if the attempt it was planned for still waits for one."""
        with self.context.store.transaction():
            record = self.consumers.get(caller.tenant, consumer_id)
            if record is None or record.get("kyc_attempt") != attempt \
                    or record["kyc"]["ongoingFullDueDiligence"] not in (k.INITIATED, k.PENDING_REVIEW):
                return
            rejection = ev.rejection_of(outcome.reason)
            self.decide_kyc(caller, consumer_id, outcome.outcome, details=rejection["details"],
                            comment=rejection["rejectionComment"])

    def _kyc_changed(self, tenant: str, before: dict, kyc: dict, rejection: dict | None = None) -> None:
        """The KycEvent of a change (none when nothing changed); the first
        approval also activates the consumer [inferred]."""
        if kyc == before["kyc"]:
            return
        email, now = before["rootUser"]["email"], self.notify.now_ms()
        self.notify.emit(tenant, ev.kyc_event(before["id"], email, kyc, now, rejection))
        if kyc["fullDueDiligence"] == k.APPROVED and before["kyc"]["fullDueDiligence"] != k.APPROVED:
            self.notify.emit(tenant, ev.activated_event(email))

    def simulate_verify(self, caller: Caller, consumer_id: int) -> None:
        """[spec] fully verifies; [QA] works with or without a started KYC.
        Verifying an approved consumer again changes nothing."""
        check_int64("consumer_id", consumer_id)
        record = self.require(caller, consumer_id)
        if record["kyc"]["ongoingFullDueDiligence"] != k.APPROVED:
            self.decide_kyc(caller, consumer_id, k.APPROVED, verify_contacts=True)

    def require(self, caller: Caller, consumer_id: int) -> dict:
        """The tenant's consumer, or CONSUMER_NOT_FOUND (simulator and controls)."""
        return self._record(caller.tenant, consumer_id, e.CONSUMER_NOT_FOUND)

    # -- internals ---------------------------------------------------------------------------------
    def _own(self, caller: ConsumerCaller) -> dict:
        """The logged-in consumer (TOKEN_UNAUTHORIZED if it is gone since its token was issued)."""
        return self._record(caller.tenant, caller.consumer_id, e.TOKEN_UNAUTHORIZED)

    def _record(self, tenant: str, consumer_id: int, missing: Condition) -> dict:
        record = self.consumers.get(tenant, consumer_id)
        if record is None:
            raise WeavrError.of(missing)
        return record

    def _check_email_domain(self, email: str) -> None:
        if email.rpartition("@")[2].casefold() in self.rules.blocked_email_domains:
            raise WeavrError.of(e.EMAIL_DOMAIN_NOT_ALLOWED)

    def _check_common(self, caller: Caller, currency: str | None, fee_group: str | None, country: str | None,
                      currency_code: Condition | None) -> None:
        if currency is not None and currency not in self.rules.currencies:
            if currency_code is None:  # PATCH has no 409 for it: the value is not one of the allowed
                raise WeavrError([Problem(e.IN, "baseCurrency", {"values": sorted(self.rules.currencies)})])
            raise WeavrError.of(currency_code)
        if fee_group is not None and fee_group not in caller.programme.fee_groups:
            raise WeavrError.of(e.FEE_GROUP_INVALID)
        if country is not None:
            if pycountry.countries.get(alpha_2=country) is None:
                raise WeavrError.of(e.COUNTRY_INVALID)
            if country not in self.rules.countries:
                raise WeavrError.of(e.COUNTRY_UNSUPPORTED)

    def _now_ms(self) -> int:
        return int(self.context.clock.timestamp() * 1000)


def check_int64(name: str, value: int) -> None:
    """A simulator path id is an int64 [spec]: a larger one is its 400 RANGE (a negative one matches no route)."""
    if value > k.INT64_MAX:
        raise WeavrError([Problem(e.SIM_FIELD["RANGE"], name, {"values": [str(k.INT64_MIN), str(k.INT64_MAX)]})])


def _check_mobile(mobile: dict) -> None:
    """[inferred] the countryCode must be an ITU country calling code (phonenumbers' table); the number
    itself is not checked, so partners' made-up test numbers pass. phonenumbers is imported by the
    first request with a mobile (~25 ms of start-up otherwise)."""
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

    if int(mobile["countryCode"][1:]) not in COUNTRY_CODE_TO_REGION_CODE:
        raise WeavrError.of(e.MOBILE_OR_COUNTRY_CODE_INVALID)


def _differs(new, old) -> bool:
    if isinstance(new, str) and isinstance(old, str):
        return new.casefold() != old.casefold()
    return new != old


def identity(consumer_id: int) -> dict:
    return {"type": "CONSUMER", "id": str(consumer_id)}


def view(record: dict) -> dict:
    """The Consumer as the spec shows it: absent values are left out (the
    spec's strings are not nullable)."""
    root = _without_none({**record["rootUser"], "id": identity(record["id"])})
    if "address" in root:
        root["address"] = _without_none(root["address"])
    ordered_root = {"id": root.pop("id"), **root}
    consumer = {"id": identity(record["id"]), "profileId": record["profileId"], "tag": record["tag"],
                "rootUser": ordered_root, "creationTimestamp": record["creationTimestamp"],
                "ipAddress": record["ipAddress"], "acceptedTerms": record["acceptedTerms"],
                "baseCurrency": record["baseCurrency"], "feeGroup": record["feeGroup"],
                "sourceOfFunds": record["sourceOfFunds"], "sourceOfFundsOther": record["sourceOfFundsOther"]}
    return _without_none(consumer)


def _without_none(values: dict) -> dict:
    return {key: value for key, value in values.items() if value is not None}
