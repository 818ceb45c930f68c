"""P100 users of one partner (API key): onboarding, KYC, proof of address,
account management. No Flask: handlers call these with the caller's key."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import filetype

from sandbox.core.context import Context
from sandbox.core.store import Collection, Index, UniqueViolation
from sandbox.providers.p100 import constants as k
from sandbox.providers.p100 import errors as e
from sandbox.providers.p100.services.ids import Ids
from sandbox.providers.p100.services.ledger import Ledger, number, wire

USER_INDEXES = (Index("external", ("externalUserId",), unique=True),)
VERIFICATION_INDEXES = (Index("verification", ("verificationId",), unique=True),)
PROFILE_FIELDS = ("email", "phone", "firstName", "lastName", "street", "number", "city", "postCode", "country",
                  "citizenship", "nationality", "birthCountry", "birthDate", "userIdentificationNumber")


class Users:
    def __init__(self, context: Context, users: Collection, verifications: Collection, ledger: Ledger, ids: Ids,
                 rates: dict[str, Decimal]):
        self.store = context.store
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
        with self.store.transaction():
            user = self.active(tenant, body["externalUserId"], verified=False)
            n = self.verifications.page(tenant, limit=0).total
            verification_id = self.ids.uuid("verification", tenant, n)
            self.verifications.insert(tenant, {"verificationId": verification_id,
                                               "externalUserId": user["externalUserId"],
                                               **{key: body.get(key) for key in body if key != "externalUserId"},
                                               "createdAt": self.ids.timestamp()})
            self._new_attempt(tenant, user, "PENDING")
        return {"verificationId": verification_id,
                "verificationUrl": f"/p100/v1/kyc/verification/{user['externalUserId']}/{verification_id}"}

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
        user = self.get(tenant, external_user_id)
        check_files(files, k.MAX_KYC_FILES)
        with self.store.transaction():
            user = self.get(tenant, external_user_id)
            self.users.update(tenant, user["id"], {"kycFiles": user["kycFiles"] + len(files)})
            self._new_attempt(tenant, user, "VERIFICATION")
        return {"externalUserId": external_user_id, "status": "ADDED"}

    def set_kyc(self, tenant: str, external_user_id: str, body: dict) -> dict:
        """Sandbox control: any KYC (and POA) status, as the vendor would decide."""
        with self.store.transaction():
            user = self.get(tenant, external_user_id)
            current = user["kyc"] or {"verificationStatus": "NOT_VERIFIED", "attemptStatus": "PENDING",
                                      "rejectionReason": None}
            verification = body.get("verificationStatus") or current["verificationStatus"]
            attempt = body.get("attemptStatus") or current["attemptStatus"]
            reason = body.get("rejectionReason") if attempt == "REJECTED_BY_PROVIDER" else None
            self._set_kyc(tenant, user, verification, attempt, reason)
            if body.get("poaStatus"):
                self.users.update(tenant, user["id"], {"poaStatus": body["poaStatus"]})
        poa_status = self.get(tenant, external_user_id)["poaStatus"]
        return {**self.kyc_status(tenant, external_user_id), "poaStatus": poa_status}

    def _new_attempt(self, tenant, user, attempt_status: str) -> None:
        """A new KYC attempt: the verification status stays what it was (an
        EXPIRED or VERIFIED user is re-checked, not un-verified) [inferred]."""
        current = user["kyc"]["verificationStatus"] if user["kyc"] else "NOT_VERIFIED"
        self._set_kyc(tenant, user, current, attempt_status, None)

    def _set_kyc(self, tenant, user, verification_status, attempt_status, reason) -> None:
        self.users.update(tenant, user["id"], {"kyc": {"verificationStatus": verification_status,
                                                       "attemptStatus": attempt_status,
                                                       "rejectionReason": reason}})

    def add_user_verification(self, tenant: str, body: dict) -> dict:
        """Textual document data after KYC passed: activates fiat and issues the IBAN."""
        with self.store.transaction():
            user = self.active(tenant, body["externalUserId"], verified=False)
            if user["kyc"] is None or user["kyc"]["verificationStatus"] != "VERIFIED":
                raise e.P100Error.of(e.USER_NOT_VERIFIED)
            iban = user["iban"]
            if iban is None and user["country"] in k.IBAN_COUNTRIES:
                iban = self.ids.iban(tenant, user["externalUserId"])
            document = {key: value for key, value in body.items() if key != "externalUserId"}
            self.users.update(tenant, user["id"], {"verification": document, "fiatStatus": "ACTIVE", "iban": iban})
        return {"externalUserId": user["externalUserId"], "status": "ACTIVE"}

    def add_poa_files(self, tenant: str, external_user_id: str, files) -> dict:
        """Files for a required, undecided POA: WAITING. Files already waiting are the documented 202 P211."""
        user = self.get(tenant, external_user_id)
        check_files(files, k.MAX_POA_FILES)  # a malformed upload is refused whatever the POA's state
        if not user["poaRequired"]:
            raise e.P100Error.of(e.POA_NOT_FOUND)
        if user["poaStatus"] == "APPROVED":
            raise e.P100Error.of(e.POA_ALREADY_VERIFIED)
        if user["poaStatus"] == "WAITING":
            raise e.P100Error.of(e.POA_PENDING)
        self.users.update(tenant, user["id"], {"poaStatus": "WAITING"})
        return {"externalUserId": external_user_id, "status": "WAITING"}

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
    if not files or len(files) > most:
        raise e.fail(e.INVALID_FILE_TYPE, k.FILE_FIELD, f"send 1 to {most} files")
    for upload in files:
        content = upload.stream.read(k.MAX_FILE_BYTES + 1)
        if len(content) > k.MAX_FILE_BYTES:
            raise e.P100Error.of(e.FILE_TOO_LARGE)
        kind = filetype.guess(content)
        if kind is None or kind.mime not in k.FILE_TYPES:
            raise e.P100Error.of(e.INVALID_FILE_TYPE)
