"""Schemathesis hooks for openapi/ibanera.json (see tests/schemathesis_cli.py).

The example manager of the default scenario logs in as a partner would and
every case carries its credentials (negative cases too, so they reach
validation; the `ignored_auth` check strips them).

Positive cases are made business-valid where OpenAPI cannot say it, as each
operation's description says in words: an email and a widget user reference
this manager has not used yet, trading percentages adding up to at most
100, a date of birth not after today, an employer when employed, other banks
distinct case-insensitively, and ids of records that exist in the state the
operation needs (a managee of the caller for the accounts list and the
verification control, an Accepted managee with no widget user for a widget
user, an account of the caller's for a deposit). A value a link or the
generator supplied is kept when it is already valid, so the stateful phase's
chains are really followed.

Core's controls are kept harmless to the rest of the run: a fault matches
only a path no case calls, the webhook endpoint is a port where nothing
listens (no delivery leaves the machine), and a KYC outcome is manual or
comes due hours after the run has ended (an immediate Rejected would turn
the managees the hooks accept into refusals).

What this manager's records are is tracked from the answers themselves
(`after_call`): schemathesis runs one request at a time (--workers 1)."""

from __future__ import annotations

import itertools
import json
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

import schemathesis
from schemathesis import GenerationMode

from sandbox.providers.ibanera import constants as k
from sandbox.providers.ibanera import examples
from tests.schemathesis_hooks import DEAD_RECEIVER, aim_at_own_server, call, coherent_fault, coherent_outcomes

BASE = "/ibanera"
LOGIN = {"username": examples.EXAMPLE_MANAGER, "password": examples.EXAMPLE_PASSWORD, "otp": k.SANDBOX_OTP}
#: the example manager's seeded managees' emails (fixtures/default.yaml): taken from the start
SEEDED_EMAILS = frozenset({"accepted@managees.example", "pending@managees.example"})
SERIAL = itertools.count(1)
#: the only path the run's faults match: one no case calls
NEVER_CALLED = "/ibanera/never-called-by-the-fuzz-run"


def login() -> str:
    status, body = call("POST", f"{BASE}/api/v1/public/auth/login", LOGIN)
    assert status == 200, body
    return body["details"]["accessToken"]


@schemathesis.auth()
class ManagerLogin:
    """The example manager logs in (username, password, TOTP): a bearer token
    and its TOTP on every private call, the token alone on the sandbox's controls."""

    def get(self, case, context):
        return login()

    def set(self, case, token, context):
        headers = {"Authorization": f"Bearer {token}"}
        if not case.operation.definition.raw.get("servers"):  # not a /_sandbox control: the TOTP too
            headers[k.OTP_HEADER] = k.SANDBOX_OTP
        case.headers = {**(case.headers or {}), **headers}


class Records:
    """The example manager's records as its answers showed them."""

    def __init__(self):
        self.token: str | None = None
        self.forget()

    def forget(self) -> None:
        """Back to the scenario (a reset of this manager's records)."""
        self.managees: dict[int, dict] = {}  # id -> {"status", "widget"}
        self.accounts: dict[int, int] = {}  # account id -> managee id
        self.emails = set(SEEDED_EMAILS)
        self.widget_references: set[str] = set()
        self.spare: tuple[int, int] | None = None  # an Accepted managee and its account, for any use

    # -- the sandbox, as the hooks' own partner calls -------------------------------------
    def _call(self, method: str, path: str, body=None, *, otp: bool = True, root: str = BASE):
        for _ in range(2):  # once more after a fresh login if the token was refused
            if self.token is None:
                self.token = login()
            headers = {"Authorization": f"Bearer {self.token}", **({k.OTP_HEADER: k.SANDBOX_OTP} if otp else {})}
            status, answer = call(method, root + path, body, headers)
            if status != 401:
                break
            self.token = None
        assert 200 <= status < 300, (method, path, body, status, answer)
        self.saw(method, path, body, answer)
        return answer

    def fresh_email(self) -> str:
        return f"fuzz-{next(SERIAL)}@example.com"

    def new_managee(self) -> int:
        body = {**examples.CREATE_MANAGEE.body, "emailAddress": self.fresh_email()}
        return self._call("POST", "/api/v4/customer/managees/create", body)["details"]["manageesId"]

    def accepted_managee(self) -> tuple[int, int]:
        """A new Accepted managee (no widget user) and its USD account."""
        managees_id = self.new_managee()
        self._call("POST", f"/managees/{managees_id}/verification", {"status": "Accepted"}, otp=False,
                   root="/_sandbox/ibanera")
        self._call("GET", "/api/v1/customer/manageeaccounts/list?" + urlencode({"ManageesId": managees_id}))
        account = next(a for a, m in self.accounts.items() if m == managees_id)
        return managees_id, account

    def any_accepted(self) -> tuple[int, int]:
        if self.spare is None or self.spare[0] not in self.managees:
            self.spare = self.accepted_managee()
        return self.spare

    # -- what the answers say ---------------------------------------------------------------
    def saw(self, method: str, path: str, body, answer) -> None:
        """Learn from a successful answer to `method path` (path as sent, without /ibanera)."""
        if path.endswith("/reset"):
            self.forget()
        elif path.endswith("/managees/create"):
            self.managees[answer["details"]["manageesId"]] = {"status": "Pending", "widget": False}
            self.emails.add(str(_value(body, "emailAddress")).casefold())
        elif path.endswith("/verification"):
            details = answer["details"]
            self.managees.setdefault(details["manageesId"], {"widget": False})["status"] = details["verificationStatus"]
        elif path.startswith("/api/v1/customer/manageeaccounts/list"):
            for account in answer["details"]:
                self.accounts[account["id"]] = account["manageesId"]
        elif path.endswith("/createwidgetuser"):
            self.managees.setdefault(_int(_value(body, "manageesId")), {"status": "Accepted"})["widget"] = True
            self.widget_references.add(str(_value(body, "widgetUserReference")).casefold())

    def is_managee(self, value) -> bool:
        return _int(value) in self.managees

    def widget_ready(self, value) -> bool:
        managee = self.managees.get(_int(value))
        return managee is not None and managee.get("status") == "Accepted" and not managee.get("widget")

    def is_account(self, value) -> bool:
        return self.accounts.get(_int(value)) in self.managees


RECORDS = Records()


def _value(body, key: str):
    """A body's value for a field, whatever the letter case of its key (the server binds them so)."""
    if isinstance(body, dict):
        for name, value in body.items():
            if name.casefold() == key.casefold():
                return value
    return None


def _int(value):
    try:
        return int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def _positive(case) -> bool:
    meta = getattr(case, "meta", None)
    return meta is None or meta.generation.mode == GenerationMode.POSITIVE


def _operation(case) -> str:
    return case.operation.path


def valid_managee(body: dict) -> dict:
    """A schema-valid create-managee body made business-valid (see CREATE_MANAGEE_RULES)."""
    body = dict(body)
    email = body.get("emailAddress")
    if not isinstance(email, str) or email.casefold() in RECORDS.emails:
        body["emailAddress"] = RECORDS.fresh_email()
    if sum((_decimal(body.get(name)) for name in k.TRADING_PERCENTAGE_FIELDS), Decimal(0)) > 100:
        body |= {name: 25 for name in k.TRADING_PERCENTAGE_FIELDS}
    if isinstance(body.get("dateOfBirth"), str) and body["dateOfBirth"][:10] > date.today().isoformat():
        body["dateOfBirth"] = "1994-01-02"
    if body.get("bActivelyEmployed") is True:
        for name, value in (("employedCompanyName", "ABC Company"), ("employedJobTitle", "Software Engineer")):
            if not isinstance(body.get(name), str) or not body[name].strip():  # absent, null or blank
                body[name] = value
    if isinstance(body.get("otherBanks"), list):  # each bank once, compared case-insensitively
        banks = {}
        for bank in body["otherBanks"]:
            banks.setdefault(bank.casefold() if isinstance(bank, str) else bank, bank)
        body["otherBanks"] = list(banks.values())
    return body




def make_valid(case) -> None:
    path = _operation(case)
    if path.endswith("/faults") and case.method.upper() == "POST" and isinstance(case.body, dict):
        case.body = coherent_fault(case.body, NEVER_CALLED)
    elif path.endswith("/outcomes") and case.method.upper() == "PUT" and isinstance(case.body, dict):
        case.body = coherent_outcomes(case.body, hold=True)
    elif path == "/webhooks" and case.method.upper() == "PUT" and isinstance(case.body, dict):
        case.body = {**case.body, "url": DEAD_RECEIVER}
    elif path.endswith("/auth/login"):
        case.body = dict(LOGIN)
    elif path.endswith("/managees/create") and isinstance(case.body, dict):
        case.body = valid_managee(case.body)
    elif path.endswith("/manageeaccounts/list"):
        query = dict(case.query or {})
        if "ManageesId" in query and not RECORDS.is_managee(query["ManageesId"]):
            query["ManageesId"] = RECORDS.any_accepted()[0]
            case.query = query
    elif path.endswith("/createwidgetuser") and isinstance(case.body, dict):
        body = dict(case.body)
        if not RECORDS.widget_ready(body.get("manageesId")):
            body["manageesId"] = RECORDS.accepted_managee()[0]
        reference = body.get("widgetUserReference")
        if not isinstance(reference, str) or reference.casefold() in RECORDS.widget_references:
            body["widgetUserReference"] = f"fuzz-widget-{next(SERIAL)}"
        case.body = body
    elif path.endswith("/simulations/payins") and isinstance(case.body, dict):
        if not RECORDS.is_account(case.body.get("DestinationAccountId")):
            case.body = {**case.body, "DestinationAccountId": RECORDS.any_accepted()[1]}
    elif path.endswith("/verification"):
        parameters = case.path_parameters or {}
        if not RECORDS.is_managee(parameters.get("managees_id")):
            case.path_parameters = {**parameters, "managees_id": RECORDS.new_managee()}


@schemathesis.hook("before_call")
def business_valid(context, case, kwargs):
    if _positive(case):
        make_valid(case)
    aim_at_own_server(case, kwargs)


@schemathesis.hook("after_call")
def learn(context, case, response):
    if 200 <= response.status_code < 300 and response.request.method == case.method.upper():
        try:
            answer = json.loads(response.content or b"null")
        except ValueError:
            return
        if not isinstance(answer, dict) or answer.get("status") != "1":
            return
        query = urlencode(case.query or {})
        RECORDS.saw(case.method.upper(), case.formatted_path + (f"?{query}" if query else ""), case.body, answer)
