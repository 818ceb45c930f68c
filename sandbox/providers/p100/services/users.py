"""P100 users of one partner (API key): onboarding, KYC, proof of address,
account management. No Flask: handlers call these with the caller's key.

What P100 decides later (a KYC verification, KYC files, a proof of address)
is planned through `Later` as the partner's outcome settings say; each
change of a user's KYC, POA or balances' status is an event to the partner,
sent once the change is stored (events.py)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sandbox.core.context import Context
from sandbox.core.outcomes import IMMEDIATE, Outcome
from sandbox.core.store import Collection, Index, UniqueViolation
from sandbox.core.webhooks import Event
from sandbox.providers.p100 import constants as k
from sandbox.providers.p100 import errors as e
from sandbox.providers.p100 import events as ev
from sandbox.providers.p100.services.ids import Ids
from sandbox.providers.p100.services.later import Later
from sandbox.providers.p100.services.ledger import Ledger, number, wire

USER_INDEXES = (Index("external", ("externalUserId",), unique=True),)
VERIFICATION_INDEXES = (Index("verification", ("verificationId",), unique=True),)
PROFILE_FIELDS = ("email", "phone", "firstName", "lastName", "street", "number", "city", "postCode", "country",
                  "citizenship", "nationality", "birthCountry", "birthDate", "userIdentificationNumber")


class Users:
    def __init__(self, context: Context, users: Collection, verifications: Collection, ledger: Ledger, ids: Ids,
                 rates: dict[str, Decimal], later: Later):
        self.store = context.store
        self.later = later
        self.users = users
        self.verifications = verifications
        self.ledger = ledger
        self.ids = ids
        self.rates = rates

    # -- lookups ------------------------------------------------------------------------------
    def get(self, tenant: str, external_user_id: str) -> dict:
        """A live user of this partner (suspended ones too), or P412."""
        user = self.users.find(tenant, "external", external_user_id)
        if user is None or user["status"] == "DELETED":
            raise e.P100Error.of(e.INVALID_USER)
        return user

    def active(self, tenant: str, external_user_id: str, *, verified: bool = True) -> dict:
        """A user who may move money: not suspended (P455) and, unless
        `verified=False`, with the user verification added (P459)."""
        user = self.get(tenant, external_user_id)
        if user["status"] == "SUSPENDED":
            raise e.P100Error.of(e.USER_SUSPENDED)
        if verified and user["fiatStatus"] != "ACTIVE":
            raise e.P100Error.of(e.USER_NOT_VERIFIED)
        return user

    # -- create ---------------------------------------------------------------------------------
    def create(self, tenant: str, body: dict) -> dict:
        external_user_id = body["externalUserId"]
        record = {
            "externalUserId": external_user_id,
            "userId": self.ids.uuid("user", tenant, external_user_id),
            **{name: body.get(name) for name in PROFILE_FIELDS},
            "hasAcceptedP100Tc": True,
            "status": "ACTIVE",
            "poaRequired": body["country"] in k.POA_COUNTRIES,
            "poaStatus": None,
            "kyc": None,
            "kycAttempt": None,  # the verification (or KYC files) a planned decision is for
            "poaAttempt": 0,  # how many times POA files were sent: a planned decision is for the latest
            "verification": None,
            "fiatStatus": "WAITING_TO_BE_ACTIVATED",
            "iban": None,
            "sepaTitle": self.ids.uuid("sepa-title", tenant, external_user_id),
            "contacts": [],
            "kycFiles": 0,
            "createdAt": self.ids.timestamp(),
        }
        with self.store.transaction():
            try:
                self.users.insert(tenant, record)
            except UniqueViolation:
                raise e.P100Error.of(e.USER_EXISTS) from None
            for currency in k.CURRENCIES:
                self.ledger.open(tenant, external_user_id, currency)
        return {"userId": record["userId"], "poaRequiredForExtended": record["poaRequired"]}

    # -- balances -------------------------------------------------------------------------------
    def balances(self, tenant: str, external_user_id: str) -> dict:
        user = self.get(tenant, external_user_id)
        fiat, crypto = [], []
        for currency in k.CURRENCIES:
            record = self.ledger.open(tenant, external_user_id, currency)
            item = {"id": record["balanceId"], "amount": wire(currency, Decimal(record["amount"])), "name": currency}
            if currency in k.FIAT:
                fiat.append({**item, "rate": number(self.rates[currency]), "iban": user["iban"],
                             "status": user["fiatStatus"]})
            else:
                crypto.append({**item, "wallet": None, "rate": number(self.rates[currency]),
                               "networkConfig": network_config(currency)})
        return {"userId": user["userId"], "poaRequired": user["poaRequired"], "fiatBalances": fiat,
                "cryptoBalances": crypto}

    # -- KYC ------------------------------------------------------------------------------------
    def create_verification(self, tenant: str, body: dict) -> dict:
        """Method B: a verification, the KYC attempt PENDING until `kyc` decides it."""
        with self.store.transaction():
            user = self.active(tenant, body["externalUserId"], verified=False)
            n = self.verifications.page(tenant, limit=0).total
            verification_id = self.ids.uuid("verification", tenant, n)
            self.verifications.insert(tenant, {"verificationId": verification_id,
                                               "externalUserId": user["externalUserId"],
                                               **{key: body.get(key) for key in body if key != "externalUserId"},
                                               "createdAt": self.ids.timestamp()})
            pending = self._new_attempt(tenant, user, "PENDING", verification_id)
        self.later.emit(tenant, pending)
        self._plan_kyc(tenant, user, verification_id)
        return {"verificationId": verification_id,
                "verificationUrl": f"/p100/v1/kyc/verification/{user['externalUserId']}/{verification_id}"}

    def _plan_kyc(self, tenant: str, user: dict, attempt: str) -> None:
        ext = user["externalUserId"]
        self.later.plan(tenant, ev.KYC.name, f"KYC of {ext}", lambda o: self._decide_kyc(tenant, ext, attempt, o),
                        ev.magic_outcome(ev.KYC.name, user["email"]))

    def _decide_kyc(self, tenant: str, external_user_id: str, attempt: str, outcome: Outcome) -> None:
        """The vendor's decision on one attempt, unless another attempt or a control came first:
        VERIFICATION, then SUCCESSFUL (VERIFIED) or REJECTED_BY_PROVIDER, each an event."""
        with self.store.transaction():
            user = self.users.find(tenant, "external", external_user_id)
            if (user is None or user["status"] == "DELETED" or user.get("kycAttempt") != attempt
                    or user["kyc"]["attemptStatus"] not in ("PENDING", "VERIFICATION")):
                return
            verifying = self._set_kyc(tenant, user, user["kyc"]["verificationStatus"], "VERIFICATION", None)
            user = self.users.get(tenant, user["id"])
            verified = "VERIFIED" if outcome.outcome == "SUCCESSFUL" else user["kyc"]["verificationStatus"]
            decided = self._set_kyc(tenant, user, verified, outcome.outcome, outcome.reason)
        self.later.emit(tenant, verifying, decided)

    def verification(self, tenant: str, external_user_id: str, verification_id: str) -> dict:
        user = self.get(tenant, external_user_id)
        found = self.verifications.find(tenant, "verification", verification_id)
        if found is None or found["externalUserId"] != user["externalUserId"]:
            raise e.P100Error.of(e.VERIFICATION_NOT_FOUND)
        return found

    def any_verification(self, verification_id: str, tenants: Iterable[str]) -> dict:
        """A verification of any of these partners (the vendor's page is public), or P446."""
        for tenant in tenants:
            found = self.verifications.find(tenant, "verification", verification_id)
            if found is not None:
                return found
        raise e.P100Error.of(e.VERIFICATION_NOT_FOUND)

    def kyc_status(self, tenant: str, external_user_id: str) -> dict:
        user = self.get(tenant, external_user_id)
        if user["kyc"] is None:
            raise e.P100Error.of(e.KYC_NOT_FOUND)
        return {"externalUserId": external_user_id, **user["kyc"]}

    def add_kyc_files(self, tenant: str, external_user_id: str, files) -> dict:
        """Method A: the files are checked now and processed as `kyc_files` says;
        the answer shows their status if that is decided at once, else PROCESSING."""
        user = self.get(tenant, external_user_id)
        check_files(files, k.MAX_KYC_FILES)
        count = len(files)
        setting = self.later.plan(tenant, ev.KYC_FILES_CHECK.name, f"KYC files of {external_user_id}",
                                  lambda o: self._decide_kyc_files(tenant, external_user_id, count, o),
                                  ev.magic_outcome(ev.KYC_FILES_CHECK.name, user["email"]))
        status = setting.outcome if setting.progression == IMMEDIATE else k.PROCESSING
        return {"externalUserId": external_user_id, "status": status}

    def _decide_kyc_files(self, tenant: str, external_user_id: str, count: int, outcome: Outcome) -> None:
        """ADDED: the files join the user's KYC, its attempt VERIFICATION until `kyc` decides; ERROR: none kept."""
        if outcome.outcome != "ADDED":
            self.later.emit(tenant, ev.kyc_files(external_user_id, outcome.outcome))
            return
        with self.store.transaction():
            user = self.users.find(tenant, "external", external_user_id)
            if user is None or user["status"] == "DELETED":
                return
            attempt = self.ids.uuid("kyc-files", tenant, external_user_id, user["kycFiles"])
            self.users.update(tenant, user["id"], {"kycFiles": user["kycFiles"] + count})
            verifying = self._new_attempt(tenant, user, "VERIFICATION", attempt)
        self.later.emit(tenant, ev.kyc_files(external_user_id, "ADDED"), verifying)
        self._plan_kyc(tenant, user, attempt)

    def set_kyc(self, tenant: str, external_user_id: str, body: dict) -> dict:
        """Sandbox control: any KYC (and POA) status, as the vendor would decide; each change an event."""
        with self.store.transaction():
            user = self.get(tenant, external_user_id)
            current = user["kyc"] or {"verificationStatus": "NOT_VERIFIED", "attemptStatus": "PENDING",
                                      "rejectionReason": None}
            verification = body.get("verificationStatus") or current["verificationStatus"]
            attempt = body.get("attemptStatus") or current["attemptStatus"]
            reason = body.get("rejectionReason") if attempt == "REJECTED_BY_PROVIDER" else None
            kyc_changed = self._set_kyc(tenant, user, verification, attempt, reason)
            poa_changed = self._set_poa(tenant, user, body["poaStatus"]) if body.get("poaStatus") else None
        self.later.emit(tenant, kyc_changed, poa_changed)
        poa_status = self.get(tenant, external_user_id)["poaStatus"]
        return {**self.kyc_status(tenant, external_user_id), "poaStatus": poa_status}

    def _new_attempt(self, tenant, user, attempt_status: str, attempt: str) -> Event | None:
        """A new KYC attempt: the verification status stays what it was (an
        EXPIRED or VERIFIED user is re-checked, not un-verified) [inferred]."""
        current = user["kyc"]["verificationStatus"] if user["kyc"] else "NOT_VERIFIED"
        self.users.update(tenant, user["id"], {"kycAttempt": attempt})
        return self._set_kyc(tenant, user, current, attempt_status, None)

    def _set_kyc(self, tenant, user, verification_status, attempt_status, reason) -> Event | None:
        """Store the user's KYC; its event if it changed (the caller sends it once stored)."""
        kyc = {"verificationStatus": verification_status, "attemptStatus": attempt_status, "rejectionReason": reason}
        if kyc == user["kyc"]:
            return None
        self.users.update(tenant, user["id"], {"kyc": kyc})
        return ev.kyc_status(user["externalUserId"], kyc)

    def _set_poa(self, tenant, user, status: str) -> Event | None:
        if status == user["poaStatus"]:
            return None
        self.users.update(tenant, user["id"], {"poaStatus": status})
        return ev.poa_status(user["externalUserId"], status)

    def add_user_verification(self, tenant: str, body: dict) -> dict:
        """Textual document data after KYC passed: activates fiat and issues the IBAN (an event the first time)."""
        with self.store.transaction():
            user = self.active(tenant, body["externalUserId"], verified=False)
            if user["kyc"] is None or user["kyc"]["verificationStatus"] != "VERIFIED":
                raise e.P100Error.of(e.USER_NOT_VERIFIED)
            iban = user["iban"]
            if iban is None and user["country"] in k.IBAN_COUNTRIES:
                iban = self.ids.iban(tenant, user["externalUserId"])
            document = {key: value for key, value in body.items() if key != "externalUserId"}
            self.users.update(tenant, user["id"], {"verification": document, "fiatStatus": "ACTIVE", "iban": iban})
        if user["fiatStatus"] != "ACTIVE":
            self.later.emit(tenant, ev.user_status(user["externalUserId"], "ACTIVE"))
        return {"externalUserId": user["externalUserId"], "status": "ACTIVE"}

    def add_poa_files(self, tenant: str, external_user_id: str, files) -> dict:
        """Files for a required, undecided POA: WAITING until `poa` decides. Files already waiting are the
        documented 202 P211."""
        user = self.get(tenant, external_user_id)
        check_files(files, k.MAX_POA_FILES)  # a malformed upload is refused whatever the POA's state
        if not user["poaRequired"]:
            raise e.P100Error.of(e.POA_NOT_FOUND)
        if user["poaStatus"] == "APPROVED":
            raise e.P100Error.of(e.POA_ALREADY_VERIFIED)
        if user["poaStatus"] == "WAITING":
            raise e.P100Error.of(e.POA_PENDING)
        with self.store.transaction():
            attempt = user.get("poaAttempt", 0) + 1
            self.users.update(tenant, user["id"], {"poaAttempt": attempt})
            waiting = self._set_poa(tenant, user, "WAITING")
        self.later.emit(tenant, waiting)
        self.later.plan(tenant, ev.POA.name, f"POA of {external_user_id}",
                        lambda o: self._decide_poa(tenant, external_user_id, attempt, o),
                        ev.magic_outcome(ev.POA.name, user["email"]))
        return {"externalUserId": external_user_id, "status": "WAITING"}

    def _decide_poa(self, tenant: str, external_user_id: str, attempt: int, outcome: Outcome) -> None:
        with self.store.transaction():
            user = self.users.find(tenant, "external", external_user_id)
            if (user is None or user["status"] == "DELETED" or user.get("poaAttempt") != attempt
                    or user["poaStatus"] != "WAITING"):
                return
            decided = self._set_poa(tenant, user, outcome.outcome)
        self.later.emit(tenant, decided)

    # -- account management -----------------------------------------------------------------------
    def update(self, tenant: str, body: dict) -> dict:
        with self.store.transaction():
            user = self.get(tenant, body["externalUserId"])
            changes = {key: value for key, value in body.items() if key != "externalUserId"}
            updated = self.users.update(tenant, user["id"], changes)
        return profile(updated)

    def set_status(self, tenant: str, external_user_id: str, status: str) -> dict:
        with self.store.transaction():
            user = self.get(tenant, external_user_id)
            self.users.update(tenant, user["id"], {"status": status})
        return {"externalUserId": external_user_id, "status": status}


def profile(user: dict) -> dict:
    return {"externalUserId": user["externalUserId"], "userId": user["userId"],
            **{name: user[name] for name in PROFILE_FIELDS}, "status": user["status"]}


def network_config(currency: str) -> dict:
    return {network: {"mainnet": False, "name": name,
                      "withdrawal": {"feeWithdrawal": number(fee), "minWithdrawal": number(minimum)},
                      "deposit": {"minDeposit": number(min_deposit)}}
            for network, (name, fee, minimum, min_deposit) in k.NETWORKS[currency].items()}


def check_files(files, most: int) -> None:
    """1..most files, each jpeg/png/pdf by its content and at most 5 MB."""
    import filetype  # on the first upload, not at start-up

    if not files or len(files) > most:
        raise e.fail(e.INVALID_FILE_TYPE, k.FILE_FIELD, f"send 1 to {most} files")
    for upload in files:
        content = upload.stream.read(k.MAX_FILE_BYTES + 1)
        if len(content) > k.MAX_FILE_BYTES:
            raise e.P100Error.of(e.FILE_TOO_LARGE)
        kind = filetype.guess(content)
        if kind is None or kind.mime not in k.FILE_TYPES:
            raise e.P100Error.of(e.INVALID_FILE_TYPE)
