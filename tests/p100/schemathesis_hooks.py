"""Schemathesis hooks for openapi/p100.json (see tests/schemathesis_cli.py).

Credentials: the default scenario's partner API key, in `x-api-key`, as a
partner sends it (an auth provider, so the `ignored_auth` check can take it
away). Negative cases carry it too, so they reach validation.

A schema-valid request can still be refused by P100's business rules, which
the document states in words because OpenAPI cannot: the user must exist
(P412) and be in the right state (verified, not suspended, a POA country),
amounts take at most the currency's decimals, an exchange needs a live lock
matching it, a withdrawal its network and minimum, a debit its funds, and so
on. Before each POSITIVE case is sent, these hooks make it business-valid as
a partner would: they name a user of the default scenario (or one the run
created) in the state the operation needs, fund it, take a fresh lock, make
a held deposit, and bring a value onto the currency's grid. Every edit keeps
the case schema-valid (schemathesis re-validates it after this hook).
Negative cases are sent as generated.
"""

from __future__ import annotations

import datetime
import itertools
import time
from decimal import ROUND_DOWN, Decimal, InvalidOperation

import schemathesis
from marshmallow import ValidationError
from marshmallow.validate import Email
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from sandbox.providers.p100 import constants as k
from sandbox.providers.p100 import examples as ex
from tests.schemathesis_hooks import aim_at_own_server, call, core_control_valid

KEY = "p100-sandbox-api-key"  # the default scenario's first partner
HEADERS = {"x-api-key": KEY}
CONTROL = "/_sandbox/p100"
SCENARIO_USERS = frozenset({ex.USER, ex.NEW_USER, ex.POA_USER, ex.SPARE_USER})
FRESH = itertools.count(1)


@schemathesis.auth()
class ApiKey:
    """P100's only credential: the partner's API key."""

    def get(self, case, context):
        return KEY

    def set(self, case, key, context):
        case.headers = {**(case.headers or {}), "x-api-key": key}


class State:
    """What the run did to the partner's users (a reset undoes it all)."""

    def __init__(self):
        self.clear()

    def clear(self):
        self.created: set[str] = set()  # live users this run created
        self.suspended: set[str] = set()
        self.verifications: dict[str, str] = {}  # verificationId -> externalUserId
        self.locks: dict[str, tuple] = {}  # unused lockId -> (taken at, user, from, to, amount)
        self.held: set[str] = set()  # deposits WAITING_FOR_TR_DATA


STATE = State()


# -- helpers ------------------------------------------------------------------------------------
def fresh_user() -> str:
    """A new user of the partner (no KYC), created through the API."""
    user = f"st-{next(FRESH)}"
    status, body = call("POST", "/p100/v1/user/balances/crypto-and-fiat", {
        "externalUserId": user, "email": f"{user}@example.pl", "firstName": "Fuzz", "lastName": "User",
        "country": "PL", "citizenship": "PL", "hasAcceptedP100Tc": True}, HEADERS)
    assert status == 201, body
    STATE.created.add(user)
    return user


def created(user, *, active: bool = False) -> bool:
    return user in STATE.created and not (active and user in STATE.suspended)


def on_grid(currency: str, value, *, minimum: Decimal = Decimal(0)) -> str:
    """The amount as a decimal string on the currency's grid, at least its
    smallest unit (or `minimum`), at most the sandbox's maximum."""
    quantum = Decimal(1).scaleb(-k.DECIMALS[currency])
    try:
        amount = Decimal(str(value)).quantize(quantum, rounding=ROUND_DOWN)
    except (InvalidOperation, ValueError):
        amount = Decimal(1)
    amount = min(max(amount, quantum, minimum), k.MAX_AMOUNT)
    return f"{amount:f}"


def currency_of(value, choices) -> str:
    value = str(value).lower()
    return value if value in choices else choices[0]


def fund(user: str, currency: str, amount: Decimal) -> None:
    """Deposit `amount` of `currency` to the user (sandbox controls), in deposits of at most the maximum,
    each credited at once (whatever a fuzzed PUT /outcomes chose before)."""
    deposits_decided_at_once()
    while amount > 0:
        part = min(amount, k.MAX_AMOUNT)
        if currency in k.FIAT:
            status, body = call("POST", f"{CONTROL}/users/{user}/fiat-deposits", {"amount": f"{part:f}"}, HEADERS)
        else:  # a deposit below the network's minDeposit is never credited: send at least that
            network = k.default_network(currency)
            part = max(part, Decimal(k.NETWORKS[currency][network][3]))
            status, body = call("POST", f"{CONTROL}/users/{user}/crypto-deposits",
                                {"currency": currency, "amount": f"{part:f}",
                                 "network": k.default_network(currency)}, HEADERS)
        assert status == 201, body
        amount -= part


def deposits_decided_at_once() -> None:
    """A deposit is decided in the control's own request (credited, or held when asked)."""
    status, body = call("PUT", f"{CONTROL}/outcomes", {"crypto_deposit": {"progression": "immediate",
                                                                          "outcome": "SUCCESSFUL"}}, HEADERS)
    assert status == 200, body


def fund_partner(currency: str) -> None:
    status, body = call("PUT", f"{CONTROL}/partner/balances", {"balances": {currency: f"{k.MAX_AMOUNT:f}"}},
                        HEADERS)
    assert status == 200, body


def valid_email(value) -> bool:
    try:
        Email()(value)
    except (ValidationError, TypeError):
        return False
    return True


def valid_iban(value) -> bool:
    try:
        IBAN(value)
    except (SchwiftyException, TypeError, ValueError):
        return False
    return True


def past_date(value) -> bool:
    try:
        return datetime.date.fromisoformat(value) <= datetime.date.today()
    except (TypeError, ValueError):
        return False


def network_of(currency: str, network) -> str | None:
    """The network as sent if the currency has it (any case), else none (the default)."""
    if isinstance(network, str) and network.lower() in k.NETWORKS[currency]:
        return network
    return None


# -- per operation: make a positive case business-valid ------------------------------------------------
def path_user(case, need) -> None:
    """The path's user: kept if the run created it (and `need` holds), else the scenario's user for this need."""
    user = case.path_parameters.get("external_user_id")
    case.path_parameters["external_user_id"] = user if created(user, active=need != "any") else {
        "any": ex.USER, "active": ex.USER, "kyc": ex.NEW_USER}[need]


def create_user(case):
    body = case.body
    body["externalUserId"] = f"st-new-{next(FRESH)}"
    if not valid_email(body.get("email")):
        body["email"] = f"{body['externalUserId']}@example.pl"
    if body.get("birthDate") is not None and not past_date(body["birthDate"]):
        body["birthDate"] = "1990-01-01"


def kyc_status(case):
    case.path_parameters["external_user_id"] = ex.USER  # a user with a KYC


def create_kyc_verification(case):
    body = case.body
    user = body.get("externalUserId")
    body["externalUserId"] = user if created(user, active=True) else ex.NEW_USER
    source = body["incomeSource"]
    if source == "BUSINESS_ACTIVITY" and not body.get("taxId"):
        body["taxId"] = "PL1234567890"
    if source == "SALARY" and not body.get("occupation"):
        body["occupation"] = "IT"
    if source in k.ADDITIONAL_INFO_SOURCES and not body.get("additionalInfo"):
        body["additionalInfo"] = "Sandbox"


def redirect_to_verification(case):
    params = case.path_parameters
    if STATE.verifications.get(params["verification_id"]) != params["external_user_id"]:
        params["external_user_id"], params["verification_id"] = ex.USER, ex.VERIFICATION_ID


def verification_page(case):
    if case.path_parameters["verification_id"] not in STATE.verifications:
        case.path_parameters["verification_id"] = ex.VERIFICATION_ID


def add_user_verification(case):
    body = case.body
    body["externalUserId"] = ex.USER  # KYC VERIFIED
    if body.get("documentIssueDate") is not None and not past_date(body["documentIssueDate"]):
        body["documentIssueDate"] = "2020-01-01"


def uploads(case, user):
    """For a user who may upload them: real images (the server reads the
    content) in place of the generated bytes, as many as generated (the
    document's 1 to 3). They go as the request's `files` (which replace the
    generated body on the wire): schemathesis cannot re-validate binary
    parts, so an edited body would no longer count as positive."""
    case.path_parameters["external_user_id"] = user
    return {"files": [(k.FILE_FIELD, (f"document-{i}.png", PNG, "image/png"))
                      for i in range(len(case.body[k.FILE_FIELD]))]}


def update_user(case):
    body = case.body
    user = body.get("externalUserId")
    body["externalUserId"] = user if created(user) else ex.NEW_USER
    if "email" in body and not valid_email(body["email"]):
        body["email"] = "updated@example.pl"


def delete_user(case):
    user = case.path_parameters["external_user_id"]
    case.path_parameters["external_user_id"] = user if created(user) else fresh_user()


def suspend_or_unsuspend(case):
    user = case.path_parameters["external_user_id"]
    case.path_parameters["external_user_id"] = user if created(user) else ex.SPARE_USER


def rate_query(query):
    frm = currency_of(query["currencyFrom"], k.CURRENCIES)
    to = currency_of(query["currencyTo"], k.CURRENCIES)
    if to == frm:
        query["currencyTo"] = to = "eur" if frm != "eur" else "btc"
    query["amount"] = on_grid(frm, query["amount"])
    return frm, to


def get_rate(case):
    rate_query(case.query)
    if "externalUserId" in case.query:
        case.query["externalUserId"] = ex.USER


def get_lock(case):
    case.query["externalUserId"] = ex.USER
    rate_query(case.query)


def exchange(case):
    """The lock the case names if the run took it for this very exchange
    (a link from Get Lock) and it is still fresh, else a new one."""
    body = case.body
    lock = STATE.locks.get(body.get("lockId"))
    if lock and time.monotonic() - lock[0] < k.RATE_LOCK_SECONDS / 2 and lock[1:] == tuple(
            body.get(name) for name in ("externalUserId", "currencyFrom", "currencyTo", "amount")):
        fund(lock[1], lock[2], Decimal(lock[4]))
        return
    body["externalUserId"] = ex.USER
    frm, _ = rate_query(body)
    status, lock = call("GET", "/p100/v1/exchange/get-lock?" + "&".join(
        f"{name}={body[name]}" for name in ("externalUserId", "currencyFrom", "currencyTo", "amount")), None, HEADERS)
    assert status == 200, lock
    body["lockId"] = lock["lockId"]
    fund(ex.USER, frm, Decimal(body["amount"]))


def sepa_transfer(case):
    body = case.body
    body["sourceExternalUserId"] = ex.USER
    body["amount"] = on_grid("eur", body["amount"])
    if not valid_iban(body["destinationIban"]):
        body["destinationIban"] = ex.IBAN
    if body.get("receiverType") == "NATURAL":
        body["receiverFirstName"] = body.get("receiverFirstName") or "John"
        body["receiverLastName"] = body.get("receiverLastName") or "Doe"
    if body.get("receiverType") == "LEGAL":
        body["companyName"] = body.get("companyName") or "Sandbox Ltd"


def network_fee(case):
    currency = currency_of(case.query["currency"], k.CRYPTO)
    if network_of(currency, case.query.get("network")) is None:
        case.query.pop("network", None)


def crypto_withdrawal(case):
    body = case.body
    body["sourceExternalUserId"] = ex.USER
    currency = currency_of(body["currency"], k.CRYPTO)
    network = network_of(currency, body.get("network"))
    if network is None:
        body.pop("network", None)
    _, fee, minimum, _ = k.NETWORKS[currency][(network or k.default_network(currency)).lower()]
    body["amount"] = on_grid(currency, body["amount"], minimum=Decimal(minimum))
    fund(ex.USER, currency, Decimal(body["amount"]) + Decimal(fee))


def travel_rule(case):
    if case.body.get("cryptoDepositId") in STATE.held:  # a link from a held deposit
        return
    deposits_decided_at_once()
    status, deposit = call("POST", f"{CONTROL}/users/{ex.USER}/crypto-deposits",
                           {"currency": "eth", "amount": "0.5", "holdForTravelRule": True}, HEADERS)
    assert status == 201, deposit
    case.body["cryptoDepositId"] = deposit["cryptoDepositId"]


def transfer(case):
    body = case.body
    currency = currency_of(body["currency"], k.CURRENCIES)
    body["amount"] = on_grid(currency, body["amount"])
    if "sourceExternalUserId" in body:  # exactly one side: user -> partner
        body.pop("destinationExternalUserId", None)
        body["sourceExternalUserId"] = ex.USER
        fund(ex.USER, currency, Decimal(body["amount"]))
    else:  # partner -> user
        body["destinationExternalUserId"] = ex.USER
        fund_partner(currency)


def deposit_crypto(case):
    path_user(case, "active")
    body = case.body
    currency = currency_of(body["currency"], k.CRYPTO)
    if network_of(currency, body.get("network")) is None:
        body.pop("network", None)
    body["amount"] = on_grid(currency, body["amount"])


def deposit_fiat(case):
    case.path_parameters["external_user_id"] = ex.USER  # verified: has an IBAN
    body = case.body
    body["amount"] = on_grid("eur", body["amount"])
    if "senderIban" in body and not valid_iban(body["senderIban"]):
        body["senderIban"] = ex.IBAN


def set_kyc(case):
    path_user(case, "kyc")


def set_partner_balances(case):
    balances = {}
    for currency, amount in case.body["balances"].items():
        if str(currency).lower() in k.CURRENCIES:
            balances[currency] = on_grid(str(currency).lower(), amount)
    case.body["balances"] = balances or {"eur": "100000.00"}


def core_control(case):
    """Core's controls' bodies as their descriptions say (tests/schemathesis_hooks.py)."""
    case.body = core_control_valid(case.operation.definition.raw.get("operationId"), case.body)


FIXES = {
    "inject_fault": core_control,
    "set_webhook_endpoint": core_control,
    "set_outcomes": core_control,
    "create_user": create_user,
    "get_balances": lambda case: path_user(case, "any"),
    "add_kyc_files": lambda case: uploads(case, case.path_parameters["external_user_id"]
                                          if created(case.path_parameters["external_user_id"]) else ex.NEW_USER),
    "create_kyc_verification": create_kyc_verification,
    "redirect_to_verification": redirect_to_verification,
    "get_kyc_status": kyc_status,
    "add_user_verification": add_user_verification,
    "add_poa_files": lambda case: uploads(case, ex.POA_USER),
    "update_user": update_user,
    "delete_user": delete_user,
    "suspend_user": suspend_or_unsuspend,
    "unsuspend_user": suspend_or_unsuspend,
    "transaction_history": lambda case: path_user(case, "any"),
    "get_rate": get_rate,
    "get_lock": get_lock,
    "exchange": exchange,
    "sepa_deposit_info": lambda case: case.path_parameters.update(external_user_id=ex.USER),
    "sepa_contacts": lambda case: path_user(case, "any"),
    "sepa_transfer": sepa_transfer,
    "network_fee": network_fee,
    "crypto_withdrawal": crypto_withdrawal,
    "update_travel_rule": travel_rule,
    "create_transfer": transfer,
    "deposit_crypto": deposit_crypto,
    "deposit_fiat": deposit_fiat,
    "set_kyc": set_kyc,
    "set_partner_balances": set_partner_balances,
    "verification_page": verification_page,
}

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def operation_id(case) -> str:
    return case.operation.definition.raw.get("operationId", "")


def as_documented(case) -> bool:
    """Not one of the coverage phase's probes with another method."""
    return case.method.upper() == case.operation.method.upper()


@schemathesis.hook
def before_call(context, case, kwargs):
    make_valid(case, kwargs)
    aim_at_own_server(case, kwargs)


def make_valid(case, kwargs) -> None:
    if case.meta is None or not case.meta.generation.mode.is_positive or not as_documented(case):
        return
    fix = FIXES.get(operation_id(case))
    if fix is None:
        return
    replaced = fix(case)
    if replaced:  # a body sent in place of the generated one
        kwargs.update(replaced)


@schemathesis.hook
def after_call(context, case, response):
    """Keep track of the users the run created, suspended, deleted, and of a reset."""
    name = operation_id(case)
    if response.status_code >= 300 or not as_documented(case):
        return
    if name == "reset_tenant":
        STATE.clear()
    elif name == "create_user":
        STATE.created.add(case.body["externalUserId"])
    elif name in ("delete_user", "suspend_user", "unsuspend_user"):
        user = case.path_parameters["external_user_id"]
        if name == "delete_user":
            STATE.created.discard(user)
        (STATE.suspended.add if name == "suspend_user" else STATE.suspended.discard)(user)
    elif name == "create_kyc_verification":
        STATE.verifications[response.json()["verificationId"]] = case.body["externalUserId"]
    elif name == "get_lock":
        lock = response.json()
        STATE.locks[lock["lockId"]] = (time.monotonic(), case.query["externalUserId"], lock["currency"],
                                       lock["destinationCurrency"], lock["amount"])
    elif name == "exchange":
        STATE.locks.pop(case.body["lockId"], None)
    elif name == "deposit_crypto" and response.json()["status"] == "WAITING_FOR_TR_DATA":
        STATE.held.add(response.json()["cryptoDepositId"])
    elif name == "update_travel_rule":
        STATE.held.discard(case.body["cryptoDepositId"])
