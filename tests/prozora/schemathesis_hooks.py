"""Schemathesis hooks for openapi/prozora.json (see tests/schemathesis_cli.py).

Every call is counterparty A's unassigned employee's, as a bank's integration
makes it: `Authorization: bearer <session token>` (the sandbox has no login
flow; the scenario's token is the one the employee's login would give), on
A's own counterparty. Negative cases carry the same credentials, so they
reach validation rather than stop at the 401/403 guard.

What the document states in words but OpenAPI cannot express, a positive case
is made to respect here (each rule is in the operation or field description):
- a path's counterparty_guid is the caller's own counterparty (else 403);
- a path's customer_guid names a customer of that counterparty (else 404):
  one the run created (the stateful phase's, through the links) or one made here;
- asset_code/asset_issuer are one of the counterparty's assets and its issuer,
  balance_asset_code is one of its assets and balance_asset_issuer its issuer
  (the one given, the other is too), branch_guid one of its branches;
- login and iban are unique in the counterparty, an iban passes its mod-97
  checksum, an issuer its CRC16, a phone number has its country's length,
  money has at most 15 significant digits and its asset's 2 decimal places;
- update's wallet_user_guid, if given, is the path's customer.
Each customer operation is also served without /api/v1 (an alias, its
operationId the handler's plus the path): the same rules hold there.

Core's faults control (on every provider) takes a `status` only with kind
error and a `delayMs` only with kind delay (said in words); a fault the run
injects is removed at once, so it answers none of the cases after it.

A value the generator made invalid on purpose (a negative component) is
left as generated."""

from __future__ import annotations

import itertools
import random
import re
from decimal import ROUND_DOWN, Decimal

import schemathesis
from schemathesis.core.parameters import ParameterLocation
from schwifty import IBAN

from tests.prozora.client import KYIV, LVIV, TOKEN_A, UAH_A, USDC_A, A
from tests.schemathesis_hooks import aim_at_own_server, call, core_control_valid

ASSETS = {"UAH": UAH_A, "USDC": USDC_A}
BRANCHES = (KYIV, LVIV)
GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
HEADERS = {"Authorization": f"bearer {TOKEN_A}"}
MAX_MONEY_DIGITS = 15
CENT = Decimal("0.01")  # the minor unit of both of A's assets
PHONES = ("+380501234567", "+380 44 123 45 67", "0501234567", "+44 20 7946 0958")

#: customers of A this run knows exist (created by a case or by this module); a reset forgets them
known: set[str] = set()
_spare: list[str] = []
_serial = itertools.count(random.SystemRandom().randrange(10**8))


@schemathesis.auth()
class Employee:
    """Counterparty A's unassigned employee's session token."""

    def get(self, case, context):
        return TOKEN_A

    def set(self, case, token, context):
        case.headers = {**(case.headers or {}), "Authorization": f"bearer {token}"}


def _is_guid(value) -> bool:
    return isinstance(value, str) and GUID.fullmatch(value) is not None


def _negative_body(case) -> bool:
    """The body was generated invalid on purpose (left as it is, so it is refused for that reason)."""
    return case.meta is not None and case.meta.is_negative_at(ParameterLocation.BODY)


def _fresh_iban() -> str:
    return str(IBAN.generate("DE", bank_code="37040044", account_code=f"{next(_serial) % 10**10:010d}"))


def _fresh_login() -> str:
    return f"schemathesis-{next(_serial)}@example.com"


def _customer() -> str:
    """A customer of A that exists now."""
    if not _spare or _spare[-1] not in known:
        status, body = call("POST", f"/prozora/api/v1/counterparty/{A}/customers",
                            {"asset_code": "UAH", "asset_issuer": UAH_A, "login": _fresh_login()}, HEADERS)
        assert status == 200, body
        known.add(body["customer_guid"])
        _spare.append(body["customer_guid"])
    return _spare[-1]


def _money(value):
    """At most 15 significant digits (the server refuses more: a JSON number would not hold them) and
    at most the asset's two decimal places."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    amount = Decimal(str(value))
    if -amount.normalize().as_tuple().exponent > 2:
        amount = amount.quantize(CENT, rounding=ROUND_DOWN)
        value = float(amount) if isinstance(value, float) else int(amount)
    if len(amount.normalize().as_tuple().digits) <= MAX_MONEY_DIGITS:
        return value
    rounded = Decimal(f"{value:.{MAX_MONEY_DIGITS}g}")
    return float(rounded) if isinstance(value, float) else int(rounded)


def _customer_fields(body: dict) -> None:
    """The rules create and update share."""
    code = body.get("balance_asset_code")
    if isinstance(code, str) or isinstance(body.get("balance_asset_issuer"), str):  # the pair, both named
        code = code if code in ASSETS else "USDC"
        body["balance_asset_code"], body["balance_asset_issuer"] = code, ASSETS[code]
    if isinstance(body.get("branch_guid"), str):
        body["branch_guid"] = random.choice(BRANCHES)
    if "balance_allowed" in body:
        body["balance_allowed"] = _money(body["balance_allowed"])
    if isinstance(body.get("phone_number"), str):
        body["phone_number"] = random.choice(PHONES)



def _handler(case) -> str:
    """The operation's handler: an alias's operationId is the handler's plus its path."""
    return case.operation.definition.raw.get("operationId", "").split("_counterparty_")[0]


def _business_valid(case) -> None:
    operation = _handler(case)
    path = dict(case.path_parameters or {})
    if _is_guid(path.get("counterparty_guid")):
        path["counterparty_guid"] = A
    if _is_guid(path.get("customer_guid")) and path["customer_guid"] not in known:
        path["customer_guid"] = _customer()
    if path != (case.path_parameters or {}):
        case.path_parameters = path
    if not isinstance(case.body, dict) or _negative_body(case):
        return
    body = dict(case.body)
    if operation == "create_customer":
        if body.get("asset_code") not in ASSETS:
            body["asset_code"] = random.choice(sorted(ASSETS))
        body["asset_issuer"] = ASSETS[body["asset_code"]]
        if isinstance(body.get("login"), str):
            body["login"] = _fresh_login()
        if isinstance(body.get("iban"), str):
            body["iban"] = _fresh_iban()
        _customer_fields(body)
    elif operation == "update_customer":
        _customer_fields(body)
        if isinstance(body.get("wallet_user_guid"), str):
            body["wallet_user_guid"] = path.get("customer_guid")
    elif operation == "create_account" and isinstance(body.get("iban"), str):
        body["iban"] = _fresh_iban()
    else:
        body = core_control_valid(operation, body)
    if body != case.body:
        case.body = body


@schemathesis.hook
def before_call(context, case, kwargs):
    _business_valid(case)
    aim_at_own_server(case, kwargs)


@schemathesis.hook
def after_call(context, case, response):
    operation = _handler(case)
    if operation == "inject_fault" and response.status_code == 201:
        status, body = call("DELETE", f"/_sandbox/prozora/counterparty/{A}/faults", headers=HEADERS)
        assert status == 200, body
    if response.status_code != 200:
        return
    if operation == "create_customer":
        known.add(response.json()["customer_guid"])
    elif operation == "reset_tenant":
        known.clear()
