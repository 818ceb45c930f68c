"""Ibanera managees: state and rules over the store. Knows nothing of Flask;
raises IbaneraError for the conditions in errors.py. A managee's KYC is
decided later (events.KYC: as the manager's outcome says, or by the
control), and each decision and each simulated deposit is announced by its
callbacks (events.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sandbox.core.context import Context
from sandbox.core.fakes import aba, numerify
from sandbox.core.lifecycle import IllegalMove
from sandbox.core.outcomes import Outcome
from sandbox.core.store import Collection, Index, UniqueViolation
from sandbox.providers.ibanera import constants as k
from sandbox.providers.ibanera import errors as e
from sandbox.providers.ibanera import events as ev
from sandbox.providers.ibanera.schemas import ManageeRules
from sandbox.providers.ibanera.services.auth import Manager, tenant_of

MANAGEE_INDEXES = (
    Index("email", ("emailAddress",), unique=True, normalize=str.casefold),
    Index("widgetUserReference", ("widgetUserReference",), unique=True, normalize=str.casefold),
)
ACCOUNT_INDEXES = (
    Index("managee", ("manageesId",)),
    Index("asset", ("asset",), normalize=str.upper),
    Index("manageeAsset", ("manageesId", "asset"), normalize=str.upper),
)


@dataclass
class PageOf:
    items: list[dict]
    page_number: int
    page_size: int
    number_of_pages: int


#: what the managee list shows of each stored managee
LISTED = ("id", "manageesReference", "fullName", "addDate", "verificationStatus", "widgetUserReference")


def managee_timestamp(moment: datetime) -> str:
    """"2022-10-03T10:59:04.213": milliseconds, no zone, as the managee list shows."""
    return moment.replace(tzinfo=None).isoformat(timespec="milliseconds")


def account_timestamp(moment: datetime) -> str:
    """"2022-07-07T16:33:08.413+00:00", as the accounts list shows."""
    return moment.isoformat(timespec="milliseconds")


class ManageeService:
    def __init__(self, context: Context, managees: Collection, accounts: Collection, transactions: Collection,
                 supported_countries):
        self._context = context
        self._store = context.store
        self._managees = managees
        self._accounts = accounts
        self._transactions = transactions
        self.supported_countries = frozenset(supported_countries)

    # -- create -------------------------------------------------------------------
    def rules_for(self, manager: Manager) -> ManageeRules:
        tenant = tenant_of(manager["username"])
        return ManageeRules(
            self.supported_countries,
            email_in_use=lambda email: self._managees.find(tenant, "email", email) is not None,
        )

    def create_managee(self, manager: Manager, data: dict) -> dict:
        """Store a validated managee, Pending, with its Jumio link; its KYC is
        then decided as the manager's `kyc` outcome says (or its email's magic)."""
        tenant = tenant_of(manager["username"])
        created = self._store_managee(tenant, data)
        managees_id = created["manageesId"]

        def decide(outcome: Outcome) -> None:
            self._decide(tenant, managees_id, outcome.outcome, outcome.reason, planned=True)

        self._context.outcomes.plan(tenant, ev.KYC.name, f"managee {managees_id}", decide,
                                    outcome=ev.magic_outcome(data["emailAddress"]))
        return created

    def seed_managee(self, manager: Manager, data: dict, verification: str) -> int:
        """A scenario's managee, already in `verification`: nothing planned, no callback."""
        tenant = tenant_of(manager["username"])
        managees_id = self._store_managee(tenant, data)["manageesId"]
        if verification != "Pending":
            self._decide(tenant, managees_id, verification, None, announce=False)
        return managees_id

    def _store_managee(self, tenant: str, data: dict) -> dict:
        proof = data["proofOfAddressFile"]
        # money stays exact in the store (and JSON-serialisable): Decimal -> str
        record = {key: str(value) if type(value) is Decimal else value
                  for key, value in data.items() if key != "proofOfAddressFile"}
        record |= {
            "fiatCurrencyCode": data["fiatCurrencyCode"].upper(),
            "addressCountryISO": data["addressCountryISO"].upper(),
            "nationalityISO": data["nationalityISO"].upper(),
            "proofOfAddress": {**proof, "type": data["proofOfAddressType"]},
            "jumioLink": self._jumio_link(tenant, data["emailAddress"]),
            "verificationStatus": "Pending",
            "addDate": managee_timestamp(self._context.clock.now()),
            "acceptDate": None, "rejectDate": None, "rejectReason": None,
            "widgetUserReference": None,
        }
        record.pop("proofOfAddressType")
        try:
            managees_id = self._managees.insert(tenant, record)
        except UniqueViolation:  # another request took the email since validation
            raise e.IbaneraError.of(e.EMAIL_ALREADY_EXISTS) from None
        return {"manageesId": managees_id, "jumioLink": record["jumioLink"], "verificationStatus": "Pending"}

    def _jumio_link(self, tenant: str, email: str) -> str:
        return k.JUMIO_LINK.format(token=self._context.fakes.token("ibanera.jumio", tenant, email.casefold()))

    # -- read -----------------------------------------------------------------------
    def list_managees(self, manager: Manager, page_number: int, page_size: int) -> PageOf:
        offset = (page_number - 1) * page_size
        page = self._managees.page(tenant_of(manager["username"]), offset=offset, limit=page_size, keys=LISTED)
        items = [
            {
                "manageesId": m["id"], "manageesReference": m["manageesReference"], "name": m["fullName"],
                "addDate": m["addDate"], "verificationStatus": m["verificationStatus"],
                "widgetUserReference": m["widgetUserReference"],
            }
            for m in page.items
        ]
        return PageOf(items, page_number, page_size, math.ceil(page.total / page_size))

    def list_accounts(self, manager: Manager, managees_id: int | None, asset: str | None,
                      page_number: int, page_size: int) -> PageOf:
        tenant = tenant_of(manager["username"])
        if managees_id is not None:
            self._managee(tenant, managees_id)
        index, values = {
            (False, False): ("all", ()),
            (True, False): ("managee", (managees_id,)),
            (False, True): ("asset", (asset,)),
            (True, True): ("manageeAsset", (managees_id, asset)),
        }[(managees_id is not None, asset is not None)]
        page = self._accounts.page(tenant, index, *values, offset=(page_number - 1) * page_size, limit=page_size)
        items = [self._account_view(a) for a in page.items]
        return PageOf(items, page_number, page_size, math.ceil(page.total / page_size))

    @staticmethod
    def _account_view(account: dict) -> dict:
        return {
            **{key: account[key] for key in ("id", "manageesId", "name", "routingNumber", "accountNumber", "asset")},
            **{key: float(account[key]) for key in ("totalBalance", "availableBalance", "pendingBalance")},
            "bSuppressed": account["bSuppressed"],
            "dateAdded": account["dateAdded"],
        }

    def _managee(self, tenant: str, managees_id: int) -> dict:
        managee = self._managees.get(tenant, managees_id)
        if managee is None:
            raise e.IbaneraError.of(e.MANAGEE_NOT_FOUND)
        return managee

    # -- widget users ------------------------------------------------------------------
    def create_widget_user(self, manager: Manager, managees_id: int, reference: str) -> None:
        if not manager["widgetClient"]:
            raise e.IbaneraError.of(e.WIDGET_CLIENT_NOT_FOUND)
        tenant = tenant_of(manager["username"])
        with self._store.transaction():
            managee = self._managee(tenant, managees_id)
            if managee["verificationStatus"] != "Accepted":
                raise e.IbaneraError.of(e.MANAGEE_NOT_VERIFIED)
            if managee["widgetUserReference"] is not None:
                raise e.IbaneraError.of(e.WIDGET_USER_ALREADY_EXISTS)
            try:
                self._managees.update(tenant, managees_id, {"widgetUserReference": reference})
            except UniqueViolation:
                raise e.IbaneraError.of(e.WIDGET_USER_REFERENCE_ALREADY_USED) from None

    # -- verification: decided later, or by the sandbox control ------------------------------
    def set_verification(self, manager: Manager, managees_id: int, status: str, reject_reason: str | None) -> dict:
        """The control: decide a Pending managee now (its own status again: unchanged, no callback)."""
        return self._decide(tenant_of(manager["username"]), managees_id, status, reject_reason)

    def _decide(self, tenant: str, managees_id: int, status: str, reject_reason: str | None, *,
                announce: bool = True, planned: bool = False) -> dict | None:
        """Move a Pending managee to Accepted (its USD account opens) or
        Rejected (final), and announce it: MANAGEE_JUMIO_COMPLETED, then
        MANAGEE_KYC_UPDATED. A planned decision finds the managee gone (a
        reset) or decided already (by the control) and does nothing."""
        with self._store.transaction():
            managee = self._managees.get(tenant, managees_id)
            if managee is None and planned:
                return None
            if managee is None:
                raise e.IbaneraError.of(e.MANAGEE_NOT_FOUND)
            if managee["verificationStatus"] == status or (planned and managee["verificationStatus"] != "Pending"):
                return self._verification_view(managee)
            try:
                move = k.VERIFICATION.move(managee["verificationStatus"], status, self._context.clock)
            except IllegalMove:
                raise e.IbaneraError.of(e.VERIFICATION_FINAL) from None
            changes = {"verificationStatus": move.target}
            if move.target == "Accepted":
                changes["acceptDate"] = managee_timestamp(move.at)
                self._open_account(tenant, managee, move.at)
            else:
                changes |= {"rejectDate": managee_timestamp(move.at), "rejectReason": reject_reason}
            decided = self._managees.update(tenant, managees_id, changes)
            if announce:
                callbacks = self._context.callbacks
                callbacks.emit(tenant, ev.jumio_completed(managees_id, move.at))
                callbacks.emit(tenant, ev.kyc_updated(managees_id, move.target, move.at, decided["rejectReason"]))
            return self._verification_view(decided)

    @staticmethod
    def _verification_view(managee: dict) -> dict:
        return {"manageesId": managee["id"], "verificationStatus": managee["verificationStatus"],
                **{key: managee[key] for key in ("acceptDate", "rejectDate", "rejectReason")}}

    def _open_account(self, tenant: str, managee: dict, now: datetime) -> int:
        pick = self._context.fakes.rng("ibanera.account", managee["id"])  # Faker's values, without Faker
        routing_number = aba(pick)
        account_number = numerify(pick, "%" + "#" * (k.ACCOUNT_NUMBER_DIGITS - 1))
        return self._accounts.insert(tenant, {
            "manageesId": managee["id"], "name": f"{managee['fullName']} {k.ACCOUNT_ASSET}",
            "routingNumber": routing_number, "accountNumber": account_number, "asset": k.ACCOUNT_ASSET,
            "totalBalance": "0", "availableBalance": "0", "pendingBalance": "0",
            "bSuppressed": False, "dateAdded": account_timestamp(now),
        })

    # -- simulations -----------------------------------------------------------------
    def simulate_payin(self, manager: Manager, account_id: int, amount: Decimal, transfer_type: str,
                       reference: str | None) -> None:
        """Credit an account at once (the sandbox does not model clearing yet),
        record the deposit's transaction and announce it (FIAT_DEPOSIT_RECEIVED)."""
        tenant = tenant_of(manager["username"])
        with self._store.transaction():
            self._credit(tenant, account_id, amount)
            now = self._context.clock.now()
            transaction_id = self._transactions.insert(tenant, {
                "accountsId": account_id, "amount": str(amount), "transferType": transfer_type,
                "reference": reference, "imad": None, "date": account_timestamp(now),
            })
            imad = None
            if transfer_type in k.IMAD_TRANSFER_TYPES:  # numbered by the transaction (a seeded sandbox repeats it)
                imad = self._imad(tenant, transaction_id)
                self._transactions.update(tenant, transaction_id, {"imad": imad})
            self._context.callbacks.emit(tenant, ev.fiat_deposit_received(account_id, transaction_id, amount,
                                                                          reference, imad, now))

    def seed_balance(self, manager: Manager, account_id: int, amount: Decimal) -> None:
        """A scenario's balance: credited, no transaction, no callback."""
        self._credit(tenant_of(manager["username"]), account_id, amount)

    def _credit(self, tenant: str, account_id: int, amount: Decimal) -> None:
        with self._store.transaction():
            account = self._accounts.get(tenant, account_id)
            if account is None:
                raise e.IbaneraError.of(e.ACCOUNT_NOT_FOUND)
            self._accounts.update(tenant, account_id, {
                "totalBalance": str(Decimal(account["totalBalance"]) + amount),
                "availableBalance": str(Decimal(account["availableBalance"]) + amount),
            })

    def _imad(self, tenant: str, transaction_id: int) -> str:
        """A wire's IMAD, 22 digits like the documented example's."""
        pick = self._context.fakes.rng("ibanera.imad", tenant, transaction_id)
        return "".join(pick.choices("0123456789", k=k.IMAD_DIGITS))
