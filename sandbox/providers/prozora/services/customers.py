"""Prozora customers and their accounts (digital entities): state and rules
over the store. Knows nothing of Flask; raises ProzoraError.

The store tenant is the counterparty, so one counterparty's records are
absent for every other; branch scoping sits on top (BR: "An employee from
one branch can see and work with customers only from his branch").

Every indexed list filter (GUIDs, logins, branch, status, kyc level,
disabled) is a store index, so a page filtered by one of them costs the page,
not the counterparty's size; the other filters are one predicate over the
smallest indexed candidate set (store.Collection.query)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sandbox.core.context import Context
from sandbox.core.store import Collection, Index, UniqueViolation
from sandbox.providers.prozora import constants as k
from sandbox.providers.prozora import errors as e
from sandbox.providers.prozora.schemas import Rules, path_guid, utc_timestamp
from sandbox.providers.prozora.services.employees import Employee

CUSTOMER_INDEXES = (
    Index("guid", ("wallet_user_guid",), unique=True),
    Index("login", ("login",), unique=True, normalize=str.casefold),
    Index("branch", ("branch_guid",)),
    Index("status", ("status",)),
    Index("kyc", ("kyc_level",)),
    Index("disabled", ("is_disabled",)),
    # A branch employee's list always filters by branch: these keep its status or kyc-level page flat too.
    Index("branch_status", ("branch_guid", "status")),
    Index("branch_kyc", ("branch_guid", "kyc_level")),
    Index("search", k.SEARCH_FIELDS, text=True),  # search_string, without decoding every customer
)
#: two single-field matches -> the composite index that answers both at once
COMPOSITES = {("branch", "status"): "branch_status", ("branch", "kyc"): "branch_kyc"}
ACCOUNT_INDEXES = (
    Index("guid", ("wallet_account_guid",), unique=True),
    Index("iban", ("iban",), unique=True),
    Index("customer", ("wallet_user_guid",)),
)
#: list query parameter -> (customer index, how a value is keyed)
INDEXED_FILTERS = {"wallet_user_guids": "guid", "logins": "login", "statuses": "status", "kyc_levels": "kyc"}
#: list query parameter -> customer field matched exactly
FIELD_FILTERS = {"names": "name", "surnames": "surname", "paternal_names": "paternal_name",
                 "phone_numbers": "phone_number", "segments": "segment", "balance_asset_codes": "balance_asset_code",
                 "balance_asset_issuers": "balance_asset_issuer"}
#: list query parameter -> (customer field, lower bound?)
TIME_BOUNDS = {"min_created_at": ("created_at", True), "max_created_at": ("created_at", False),
               "min_updated_at": ("updated_at", True), "max_updated_at": ("updated_at", False)}
CUSTOMER_FIELDS = ("wallet_user_guid", "counterparty_guid", "login", "name", "surname", "paternal_name",
                   "phone_number", "kyc_level", "is_disabled", "balance_allowed", "balance_asset_code",
                   "balance_asset_issuer", "branch_guid", "segment", "status", "created_at", "updated_at")


@dataclass(frozen=True)
class Asset:
    code: str
    issuer: str
    account_type_guid: str
    name: str
    minor_unit: int = k.DEFAULT_MINOR_UNIT


@dataclass
class Counterparty:
    guid: str
    name: str
    assets: dict[str, Asset] = field(default_factory=dict)
    #: branch GUID -> name
    branches: dict[str, str] = field(default_factory=dict)


class CustomerService:
    def __init__(self, context: Context, customers: Collection, accounts: Collection):
        self._context = context
        self._store = context.store
        self._customers = customers
        self._accounts = accounts
        self.counterparties: dict[str, Counterparty] = {}

    def rules_for(self, employee: Employee) -> Rules:
        cp = self.counterparties[employee.counterparty_guid]
        return Rules(assets={code: asset.issuer for code, asset in cp.assets.items()})

    # -- create ------------------------------------------------------------------------------
    def create_customer(self, employee: Employee, body: dict, at: datetime | None = None,
                        guid: str | None = None) -> dict:
        """A customer and its first account (digital entity), both or neither; `guid` pins the
        customer's GUID (a scenario's customer), else it is generated."""
        cp = self.counterparties[employee.counterparty_guid]
        tenant = cp.guid
        branch = self._branch(employee, cp, body.get("branch_guid"))
        asset = cp.assets[body["asset_code"]]
        now = utc_timestamp(at or self._context.clock.now())
        with self._store.transaction():
            number = self._customers.page(tenant, limit=0).total
            customer_guid = guid or self._context.fakes.uuid4("prozora.customer", tenant, number)
            customer = {
                "wallet_user_guid": customer_guid, "counterparty_guid": tenant,
                **{name: body.get(name) for name in ("login", "name", "surname", "paternal_name", "phone_number",
                                                     "balance_asset_code", "balance_asset_issuer", "segment")},
                "kyc_level": body.get("kyc_level") or 0,
                "is_disabled": bool(body.get("is_disabled")),
                "balance_allowed": str(body.get("balance_allowed") or Decimal(0)),
                "branch_guid": branch,
                "status": body.get("status") or k.DEFAULT_STATUS,
                "created_at": now, "updated_at": now,
                "asset_code": asset.code, "asset_issuer": asset.issuer,
            }
            _balance_asset_holds(cp, customer, body)
            try:
                self._customers.insert(tenant, customer)
            except UniqueViolation:
                raise e.ProzoraError.of(e.LOGIN_TAKEN) from None
            account = self._open_account(tenant, customer, body.get("iban"), now)
        return {**self._account_view(cp, account), "customer_guid": customer_guid}

    def create_account(self, employee: Employee, customer_guid: str, body: dict) -> dict:
        cp = self.counterparties[employee.counterparty_guid]
        with self._store.transaction():
            customer = self._visible(employee, customer_guid)
            account = self._open_account(cp.guid, customer, body.get("iban"),
                                         utc_timestamp(self._context.clock.now()))
        return {"wallet_account_guid": account["wallet_account_guid"]}

    def _open_account(self, tenant: str, customer: dict, iban: str | None, now: str) -> dict:
        number = self._accounts.page(tenant, limit=0).total
        account_guid = self._context.fakes.uuid4("prozora.account", tenant, number)
        cp = self.counterparties[tenant]
        account = {
            "wallet_account_guid": account_guid, "wallet_user_guid": customer["wallet_user_guid"],
            "iban": iban, "asset_code": customer["asset_code"],
            "type": cp.assets[customer["asset_code"]].account_type_guid,
            "name": " ".join(part for part in (customer["name"], customer["surname"]) if part),
            "balance": "0", "created_at": now, "updated_at": now,
        }
        try:
            self._accounts.insert(tenant, account)
        except UniqueViolation:
            raise e.ProzoraError.of(e.IBAN_TAKEN) from None
        return account

    # -- read ----------------------------------------------------------------------------------
    def list_accounts(self, employee: Employee, customer_guid: str, iban: str | None) -> dict:
        cp = self.counterparties[employee.counterparty_guid]
        customer = self._visible(employee, customer_guid)
        match = {"customer": [(customer["wallet_user_guid"],)]}
        if iban is not None:
            match["iban"] = [("".join(iban.split()).upper(),)]
        page = self._accounts.query(cp.guid, match)
        return {k.ACCOUNTS_KEY: [self._account_view(cp, a) for a in page.items], "total": page.total}

    def list_customers(self, employee: Employee, query: dict) -> dict:
        match: dict[str, list[tuple]] = {}
        for param, index in INDEXED_FILTERS.items():
            if query.get(param):
                match[index] = [(value,) for value in query[param]]
        if query.get("is_disabled") is not None:
            match["disabled"] = [(query["is_disabled"],)]
        branches = query.get("branch_guids") or None
        if employee.branch_guid is not None:  # a branch employee sees its branch only
            branches = [b for b in (branches or [employee.branch_guid]) if b == employee.branch_guid]
        if branches is not None:
            match["branch"] = [(b,) for b in branches]
        for (first, second), composite in COMPOSITES.items():
            if first in match and second in match:
                lefts, rights = match.pop(first), match.pop(second)
                match[composite] = [(*left, *right) for left in lefts for right in rights]
                break
        field, descending = {"created_at_asc": (None, False), "created_at_desc": (None, True),
                             "updated_at_asc": ("updated_at", False),
                             "updated_at_desc": ("updated_at", True)}[query["ordering"]]
        page = self._customers.query(
            employee.counterparty_guid, match, where=_predicate(query),
            search=("search", query["search_string"]) if query.get("search_string") else None,
            # creation order is id order (ids and the clock both only grow); updated_at ties keep id order
            order=None if field is None else (lambda doc: doc[field]),
            descending=descending, offset=query["offset"], limit=query["limit"])
        return {k.CUSTOMERS_KEY: [self._customer_view(c) for c in page.items], "total": page.total}

    # -- update ----------------------------------------------------------------------------------
    def update_customer(self, employee: Employee, customer_guid: str, body: dict) -> dict:
        """Apply the fields given (null: not given). login, iban and the asset never change."""
        changes = {name: value for name, value in body.items() if value is not None}
        own_guid = path_guid(customer_guid, "customer_guid")
        if changes.pop("wallet_user_guid", own_guid) != own_guid:
            raise e.ProzoraError.of(e.GUID_MISMATCH)
        cp = self.counterparties[employee.counterparty_guid]
        with self._store.transaction():
            customer = self._visible(employee, customer_guid)
            if "branch_guid" in changes:
                changes["branch_guid"] = self._branch(employee, cp, changes["branch_guid"])
            if "balance_allowed" in changes:
                changes["balance_allowed"] = str(changes["balance_allowed"])
            _balance_asset_holds(cp, customer | changes, changes)
            changes["updated_at"] = utc_timestamp(self._context.clock.now())
            self._customers.update(cp.guid, customer["id"], changes)
        return {}

    def set_updated_at(self, tenant: str, customer_guid: str, at: datetime) -> None:
        """For a generated population: a customer last updated at `at`."""
        customer = self._customers.find(tenant, "guid", customer_guid)
        self._customers.update(tenant, customer["id"], {"updated_at": utc_timestamp(at)})

    # -- rules -----------------------------------------------------------------------------------
    def _visible(self, employee: Employee, customer_guid: str) -> dict:
        """The customer, if the employee may see it: its counterparty's, and its branch's for a branch employee."""
        customer = self._customers.find(employee.counterparty_guid, "guid", path_guid(customer_guid, "customer_guid"))
        if customer is None or (employee.branch_guid is not None and customer["branch_guid"] != employee.branch_guid):
            raise e.ProzoraError.of(e.CUSTOMER_NOT_FOUND)  # the same answer: nothing leaks about other branches
        return customer

    @staticmethod
    def _branch(employee: Employee, cp: Counterparty, requested: str | None) -> str | None:
        """The branch a customer goes to: a branch employee's own (the default), or any of the counterparty's."""
        if requested is None:
            return employee.branch_guid
        if requested not in cp.branches or employee.branch_guid not in (None, requested):
            raise e.ProzoraError.of(e.BRANCH_NOT_FOUND)
        return requested

    # -- views ------------------------------------------------------------------------------------
    @staticmethod
    def _customer_view(customer: dict) -> dict:
        view = {name: customer[name] for name in CUSTOMER_FIELDS}
        view["balance_allowed"] = Decimal(customer["balance_allowed"])
        return view

    @staticmethod
    def _account_view(cp: Counterparty, account: dict) -> dict:
        asset = cp.assets[account["asset_code"]]
        return {
            **k.ACCOUNT_FLAGS,
            "assets": [{"activated": k.ACCOUNT_FLAGS["activated"], "balance": Decimal(account["balance"]),
                        "code": asset.code, "minor_unit": asset.minor_unit, "name": asset.name,
                        "platform": k.PLATFORM, "stellar_code": asset.code, "stellar_issuer": asset.issuer}],
            "assets_total": 1,
            "customer_guid": account["wallet_user_guid"],
            "guid": account["wallet_account_guid"],
            "iban": account["iban"] or "",
            "name": account["name"],
            "platform": k.PLATFORM,
            "type": account["type"],
            "wallet_account_guid": account["wallet_account_guid"],
        }


def _balance_asset_holds(cp: Counterparty, customer: dict, given: dict) -> None:
    """The customer's balance is in an asset of the counterparty (constants.py): the balance asset,
    else its first account's; balance_asset_issuer, if set, is that asset's issuer, and
    balance_allowed has at most its minor unit of decimal places. `customer` is the record as it
    would be stored; a refusal names the field of the request (`given`) that made it so."""
    def blame(*fields: str) -> str:
        return next((name for name in fields if given.get(name) is not None), fields[0])

    asset = cp.assets[customer["balance_asset_code"] or customer["asset_code"]]
    if customer["balance_asset_issuer"] not in (None, asset.issuer):
        raise e.at(e.ASSET_NOT_AVAILABLE, blame("balance_asset_issuer", "balance_asset_code"))
    places = -Decimal(customer["balance_allowed"]).normalize().as_tuple().exponent
    if places > asset.minor_unit:
        raise e.at(e.TOO_MANY_DECIMALS, blame("balance_allowed", "balance_asset_code"))


def _predicate(query: dict) -> Callable[[dict], bool] | None:
    """The non-indexed filters as one check of a stored customer (None: no such filter)."""
    checks: list[Callable[[dict], bool]] = []
    for param, name in FIELD_FILTERS.items():
        if query.get(param):
            checks.append(_member(name, frozenset(query[param])))
    for param, (name, lower) in TIME_BOUNDS.items():
        if query.get(param) is not None:
            checks.append(_bound(name, query[param], lower))
    low, high = query.get("min_balance_allowed"), query.get("max_balance_allowed")
    if low is not None or high is not None:
        checks.append(_between(low, high))
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0]
    return lambda doc: all(check(doc) for check in checks)


def _member(name: str, values: frozenset) -> Callable[[dict], bool]:
    return lambda doc: doc[name] in values


def _bound(name: str, bound: str, lower: bool) -> Callable[[dict], bool]:
    # Stored timestamps are fixed-width UTC text: text order is time order.
    return (lambda doc: doc[name] >= bound) if lower else (lambda doc: doc[name] <= bound)


def _between(low: Decimal | None, high: Decimal | None) -> Callable[[dict], bool]:
    def check(doc: dict) -> bool:
        amount = Decimal(doc["balance_allowed"])
        return (low is None or amount >= low) and (high is None or amount <= high)
    return check

