"""Ibanera's callbacks and its KYC that takes a while, over HTTP: a manager
chooses how its managees' KYC is decided (PUT /_sandbox/ibanera/outcomes),
where its callbacks go (PUT /_sandbox/ibanera/webhooks), and a receiver on
127.0.0.1 gets MANAGEE_JUMIO_COMPLETED then MANAGEE_KYC_UPDATED, and
FIAT_DEPOSIT_RECEIVED on a deposit, each as its page documents it, signed
base64(SHA-256(body + hash secret)) (computed here, not by the sandbox's
code), retried in sandbox time until a 200 answers."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
import uuid

import pytest

from sandbox.app import create_app
from sandbox.config import Config
from sandbox.core.runtime import sandbox_of
from sandbox.core.scenario import ScenarioError
from sandbox.testing.receiver import Receiver
from tests.ibanera.client import IbaneraClient, errors_of

SECRET = "ibanera-hash-secret"
OTHER_SECRET = "another-hash-secret"
#: how long a test waits for a delivery (the worker is a background thread; CI machines are busy)
WAIT = 10
JUMIO, KYC, DEPOSIT = "MANAGEE_JUMIO_COMPLETED", "MANAGEE_KYC_UPDATED", "FIAT_DEPOSIT_RECEIVED"
#: the documented examples' Data keys, in their order
JUMIO_KEYS = ["ManageesId", "ManageeCustomerUsersId", "DateJumioCompleted"]
KYC_KEYS = ["ManageesId", "VerificationStatus", "AcceptDate", "RejectReason", "RejectDate"]
DEPOSIT_KEYS = ["AccountsId", "TransactionsId", "OriginalTransactionsId", "Reference", "SenderDetails", "Amount",
                "Imad", "Date", "bReversal", "bFlagged"]
SENDER_KEYS = ["RoutingNumber", "AccountNumber", "Name", "AddressLine1", "AddressLine2", "AddressLine3"]


@pytest.fixture
def receivers():
    """Receivers on 127.0.0.1 the test starts (each closed after it)."""
    started: list[Receiver] = []
    yield lambda: started.append(Receiver()) or started[-1]
    for each in started:
        each.close()


@pytest.fixture
def receiver(receivers) -> Receiver:
    return receivers()


@pytest.fixture
def other_receiver(receivers) -> Receiver:
    return receivers()


def clock(client, **body) -> dict:
    moved = client.post("/_sandbox/clock", json=body)
    assert moved.status_code == 200, moved.get_json()
    return moved.get_json()


@pytest.fixture
def frozen(client):
    """Sandbox time stands still at 08:00:00.150 (the 150 ms show in the callbacks' dates as .15)."""
    clock(client, set="2027-01-01T08:00:00.150Z", freeze=True)


@pytest.fixture
def ibanera(client, frozen) -> IbaneraClient:
    """Manager 1 of the default scenario, logged in once the clock stands still (its token's time)."""
    return IbaneraClient(client, "manager@example.com").login()


@pytest.fixture
def ibanera2(client, frozen) -> IbaneraClient:
    """Manager 2 of the default scenario, likewise."""
    return IbaneraClient(client, "manager2@example.com").login()


def control(manager: IbaneraClient, method: str, path: str, body=None, **query):
    """One of core's controls, as the manager (its bearer token only), in Ibanera's envelope."""
    return manager.client.open(f"/_sandbox/ibanera{path}", method=method, json=body, query_string=query,
                               headers={"Authorization": f"Bearer {manager.token}"})


def details(response) -> dict:
    body = response.get_json()
    assert response.status_code in (200, 202) and body["status"] == "1", body
    return body["details"]


def hooks(manager: IbaneraClient, receiver: Receiver, secret: str = SECRET) -> dict:
    return details(control(manager, "PUT", "/webhooks", {"url": receiver.url_for("ibanera"), "secret": secret}))


def kyc(manager: IbaneraClient, **setting) -> dict:
    return details(control(manager, "PUT", "/outcomes", {"kyc": setting}))


def deliveries(manager: IbaneraClient, **query) -> list[dict]:
    return details(control(manager, "GET", "/webhooks/deliveries", **query))["deliveries"]


def settle(manager: IbaneraClient, count: int, state: str = "delivered", attempts: int = 1) -> list[dict]:
    """The outbox once `count` messages reached `state` with at least `attempts` attempts each
    (the worker records attempts in the background)."""
    deadline = time.monotonic() + WAIT
    while True:
        found = [m for m in deliveries(manager, state=state) if len(m["attempts"]) >= attempts]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.01)


def status_of(manager: IbaneraClient, managees_id: int) -> str:
    listed = manager.list_managees(PageSize=1000).get_json()["details"]
    return next(m["verificationStatus"] for m in listed if m["manageesId"] == managees_id)


def signed(delivery, secret: str = SECRET) -> bool:
    """The documented scheme: SHA-256 of the string requestBody + hashSecret, base64 (inferred)."""
    expected = base64.b64encode(hashlib.sha256(delivery.body + secret.encode()).digest()).decode()
    return delivery.header("webhook-signature") == expected


def envelope(delivery, type_code: str, keys: list[str]) -> dict:
    """The documented envelope {"Id": GUID, "Type": ..., "Data": {...}} with the Data keys in the example's
    order; its Data."""
    body = json.loads(delivery.body)
    assert list(body) == ["Id", "Type", "Data"] and body["Type"] == type_code, body
    assert uuid.UUID(body["Id"]).version == 4
    assert list(body["Data"]) == keys, body
    assert delivery.header("Content-Type") == "application/json"
    return body["Data"]


# -- the Done-when of #16 --------------------------------------------------------------------------------
def test_kyc_after_ten_minutes_is_decided_then_called_back_signed_and_retried_on_the_schedule(
        ibanera, receiver):
    hooks(ibanera, receiver)
    assert kyc(ibanera, progression="after", delay="PT10M", outcome="Accepted")["kyc"] == {
        "progression": "after", "delay": "PT600S", "outcome": "Accepted", "reason": None}
    receiver.fail_next(1, status=500)
    created = details(ibanera.create_managee(emailAddress="ada@example.com"))
    managees_id = created["manageesId"]
    assert created["verificationStatus"] == "Pending" and status_of(ibanera, managees_id) == "Pending"

    assert clock(ibanera.client, advance="PT9M59S")["ran"] == 0 and status_of(ibanera, managees_id) == "Pending"
    assert clock(ibanera.client, advance="PT1S")["ran"] == 1
    assert status_of(ibanera, managees_id) == "Accepted"
    assert [a["asset"] for a in ibanera.list_accounts(ManageesId=managees_id).get_json()["details"]] == ["USD"]

    failed = receiver.wait_for(JUMIO, timeout=WAIT)
    assert failed.status == 500 and signed(failed)
    assert envelope(failed, JUMIO, JUMIO_KEYS) == {
        "ManageesId": managees_id, "ManageeCustomerUsersId": failed.json["Data"]["ManageeCustomerUsersId"],
        "DateJumioCompleted": "2027-01-01T08:10:00.15"}
    assert isinstance(failed.json["Data"]["ManageeCustomerUsersId"], int)
    time.sleep(0.3)
    assert receiver.of(KYC) == []  # the next event waits until this one is acknowledged

    clock(ibanera.client, advance="PT59S")
    time.sleep(0.3)
    assert len(receiver.of(JUMIO)) == 1  # not before its first retry's moment: 1 minute
    clock(ibanera.client, advance="PT1S")
    again = receiver.wait_for(JUMIO, count=2, timeout=WAIT)
    assert again.status == 200 and again.body == failed.body and signed(again)
    updated = receiver.wait_for(KYC, timeout=WAIT)
    assert updated.status == 200 and signed(updated)
    assert envelope(updated, KYC, KYC_KEYS) == {
        "ManageesId": managees_id, "VerificationStatus": "Accepted", "AcceptDate": "2027-01-01T08:10:00.15",
        "RejectReason": None, "RejectDate": None}
    assert not signed(updated, "another secret")

    kyc_message, jumio_message = settle(ibanera, count=2)  # newest first
    assert (jumio_message["type"], kyc_message["type"]) == (JUMIO, KYC)
    assert [(a["at"], a["status"]) for a in jumio_message["attempts"]] == [
        ("2027-01-01T08:10:00.150Z", 500), ("2027-01-01T08:11:00.150Z", 200)]
    assert [(a["at"], a["status"]) for a in kyc_message["attempts"]] == [("2027-01-01T08:11:00.150Z", 200)]
    assert jumio_message["body"] == failed.json and kyc_message["body"] == updated.json
    assert jumio_message["url"] == receiver.url_for("ibanera") and jumio_message["nextAttemptAt"] is None
    assert jumio_message["headers"]["webhook-signature"] == failed.header("webhook-signature")


def test_a_receiver_that_never_answers_200_is_retried_with_backoff_for_two_hours_then_given_up(
        ibanera, receiver):
    _, account_id = ibanera.accepted_managee()  # before the endpoint is set: its KYC callbacks go nowhere
    hooks(ibanera, receiver)
    receiver.fail_next(100, status=503)
    assert ibanera.payin(account_id, 10).status_code == 200
    receiver.wait_for(DEPOSIT, timeout=WAIT)
    for attempt, minutes in enumerate((1, 2, 4, 8, 16, 32, 57), start=2):
        clock(ibanera.client, advance=f"PT{minutes}M")
        receiver.wait_for(DEPOSIT, count=attempt, timeout=WAIT)
    ibanera.login()  # two hours on, the token has expired (3600 s): a partner logs in again
    [message] = settle(ibanera, count=1, state="failed", attempts=8)
    assert [a["status"] for a in message["attempts"]] == [503] * 8
    assert [a["at"][11:19] for a in message["attempts"]] == [
        "08:00:00", "08:01:00", "08:03:00", "08:07:00", "08:15:00", "08:31:00", "09:03:00", "10:00:00"]  # 2 hours
    clock(ibanera.client, advance="P1D")
    time.sleep(0.3)
    assert len(receiver.of(DEPOSIT)) == 8  # given up: no ninth


@pytest.mark.parametrize("answer", [201, 204, 302, 404, 500])
def test_only_a_200_acknowledges(ibanera, receiver, answer):
    _, account_id = ibanera.accepted_managee()
    hooks(ibanera, receiver)
    receiver.fail_next(1, status=answer)
    ibanera.payin(account_id, 10)
    receiver.wait_for(DEPOSIT, timeout=WAIT)
    [pending] = settle(ibanera, count=1, state="pending")
    assert pending["attempts"][0]["status"] == answer and pending["nextAttemptAt"] == "2027-01-01T08:01:00.150Z"
    clock(ibanera.client, advance="PT1M")
    [message] = settle(ibanera, count=1, attempts=2)
    assert [a["status"] for a in message["attempts"]] == [answer, 200]


# -- progressions: immediate, manual, and a magic email ----------------------------------------------------
def test_immediate_is_decided_once_the_create_has_its_answer(ibanera, receiver):
    hooks(ibanera, receiver)
    kyc(ibanera, progression="immediate", outcome="Rejected", reason="Document expired")
    created = details(ibanera.create_managee(emailAddress="eve@example.com"))
    assert created["verificationStatus"] == "Pending"  # what the creating request answered ...
    managees_id = created["manageesId"]
    assert status_of(ibanera, managees_id) == "Rejected"  # ... and decided before the next request
    assert ibanera.list_accounts(ManageesId=managees_id).get_json()["details"] == []  # no account when rejected
    jumio, updated = receiver.wait_for(JUMIO, timeout=WAIT), receiver.wait_for(KYC, timeout=WAIT)
    assert jumio.at <= updated.at and signed(jumio) and signed(updated)
    assert envelope(updated, KYC, KYC_KEYS) == {
        "ManageesId": managees_id, "VerificationStatus": "Rejected", "AcceptDate": None,
        "RejectReason": "Document expired", "RejectDate": "2027-01-01T08:00:00.15"}
    # Rejected is final: the control cannot accept it afterwards, and nothing more is sent
    refused = ibanera.set_verification(managees_id, "Accepted")
    assert refused.status_code == 409 and errors_of(refused) == [("VerificationStatus", "Verification_Final")]
    assert [m["type"] for m in deliveries(ibanera)] == [KYC, JUMIO]


def test_a_rejection_without_a_reason_of_its_own_carries_the_default_reason(ibanera, receiver):
    hooks(ibanera, receiver)
    assert kyc(ibanera, progression="immediate", outcome="Rejected")["kyc"]["reason"] is None
    ibanera.new_managee()
    ibanera.list_managees()
    assert receiver.wait_for(KYC, timeout=WAIT).json["Data"]["RejectReason"] == "Identity verification failed"


def test_manual_is_the_default_and_only_the_control_decides(ibanera, receiver):
    hooks(ibanera, receiver)
    assert details(control(ibanera, "GET", "/outcomes"))["kyc"] == {
        "progression": "manual", "delay": None, "outcome": "Accepted", "reason": None}
    managees_id = ibanera.new_managee()
    clock(ibanera.client, advance="P30D")
    ibanera.login()  # the token has expired meanwhile
    assert status_of(ibanera, managees_id) == "Pending" and deliveries(ibanera) == []
    decided = ibanera.set_verification(managees_id, "Accepted")
    assert decided.status_code == 200 and decided.get_json()["details"]["verificationStatus"] == "Accepted"
    assert envelope(receiver.wait_for(JUMIO, timeout=WAIT), JUMIO, JUMIO_KEYS)["DateJumioCompleted"] == (
        "2027-01-31T08:00:00.15")
    assert receiver.wait_for(KYC, timeout=WAIT).json["Data"]["AcceptDate"] == "2027-01-31T08:00:00.15"
    # asking for its own status again answers it unchanged, and sends nothing again
    assert ibanera.set_verification(managees_id, "Accepted").status_code == 200
    assert [m["type"] for m in settle(ibanera, count=2)] == [KYC, JUMIO]
    assert len(deliveries(ibanera)) == 2


def test_a_decision_planned_for_later_yields_to_the_control(ibanera, receiver, caplog):
    hooks(ibanera, receiver)
    kyc(ibanera, progression="after", delay="PT10M", outcome="Accepted")
    managees_id = ibanera.new_managee()
    assert ibanera.set_verification(managees_id, "Rejected", rejectReason="Seen by a person").status_code == 200
    assert clock(ibanera.client, advance="PT10M")["ran"] == 1
    assert status_of(ibanera, managees_id) == "Rejected"
    assert not [r for r in caplog.records if r.levelname == "ERROR"]  # the planned job found it decided: no error
    assert [(m["type"], m["body"]["Data"].get("VerificationStatus")) for m in settle(ibanera, count=2)] == [
        (KYC, "Rejected"), (JUMIO, None)]


@pytest.mark.parametrize("email,setting,decided", [
    ("ada+kyc_rejected@example.com", "Accepted", "Rejected"),
    ("ADA+KYC_REJECTED@example.com", "Accepted", "Rejected"),
    ("bob+kyc_accepted@example.com", "Rejected", "Accepted"),
    ("carol@example.com", "Rejected", "Rejected"),
    ("dan+kyc_rejected.not@example.com", "Accepted", "Accepted"),
])
def test_a_magic_email_chooses_that_managees_outcome(ibanera, email, setting, decided):
    kyc(ibanera, progression="immediate", outcome=setting)
    managees_id = ibanera.new_managee(emailAddress=email)
    assert status_of(ibanera, managees_id) == decided


def test_a_magic_email_waits_for_the_control_when_kyc_is_manual(ibanera):
    managees_id = ibanera.new_managee(emailAddress="ada+kyc_rejected@example.com")
    clock(ibanera.client, advance="P1D")
    ibanera.login()
    assert status_of(ibanera, managees_id) == "Pending"


def test_the_magic_emails_are_listed(client):
    listed = [m for m in client.get("/_sandbox/magic").get_json()["magic"] if m["provider"] == "ibanera"]
    assert [(m["field"], m["value"][:30]) for m in listed] == [
        ("emailAddress", "local part ends +kyc_rejected "), ("emailAddress", "local part ends +kyc_accepted ")]
    assert all("KYC is" in m["effect"] for m in listed)


# -- FIAT_DEPOSIT_RECEIVED -------------------------------------------------------------------------------
def test_a_simulated_deposit_sends_fiat_deposit_received_as_documented(ibanera, receiver):
    managees_id, account_id = ibanera.accepted_managee()
    hooks(ibanera, receiver)
    assert ibanera.payin(account_id, 25, "WIRE", Reference="ExampleRef", Name="Customer Name").status_code == 200
    assert ibanera.payin(account_id, 12.5, "ACH").status_code == 200
    wire, ach = receiver.wait_for(DEPOSIT, timeout=WAIT), receiver.wait_for(DEPOSIT, count=2, timeout=WAIT)
    assert signed(wire) and signed(ach)
    data = envelope(wire, DEPOSIT, DEPOSIT_KEYS)
    assert list(data["SenderDetails"]) == SENDER_KEYS and data["SenderDetails"]["AddressLine3"] is None
    assert re.fullmatch(r"\d{22}", data["Imad"]), data  # a wire's IMAD, 22 digits like the example's
    assert isinstance(data["TransactionsId"], int) and data == {
        "AccountsId": account_id, "TransactionsId": data["TransactionsId"], "OriginalTransactionsId": None,
        "Reference": "ExampleRef", "SenderDetails": data["SenderDetails"], "Amount": 25, "Imad": data["Imad"],
        "Date": "2027-01-01T08:00:00.15+00:00", "bReversal": False, "bFlagged": False}
    assert b'"Amount":25,' in wire.body  # a whole amount is a JSON integer, as the example shows
    ach_data = envelope(ach, DEPOSIT, DEPOSIT_KEYS)
    assert (ach_data["Amount"], ach_data["Imad"], ach_data["Reference"]) == (12.5, None, None)
    assert ach_data["TransactionsId"] == data["TransactionsId"] + 1
    [account] = ibanera.list_accounts(ManageesId=managees_id).get_json()["details"]
    assert (account["id"], account["availableBalance"]) == (account_id, 37.5)


def test_a_refused_deposit_sends_nothing(ibanera, receiver):
    hooks(ibanera, receiver)
    refused = ibanera.payin(999_999, 10)
    assert refused.status_code == 400 and errors_of(refused) == [("DestinationAccountId", "Account_Not_Found")]
    assert deliveries(ibanera) == []


# -- the outbox, redelivery, secrets -----------------------------------------------------------------
def test_a_delivery_is_sent_again_on_demand_with_the_same_body(ibanera, receiver):
    _, account_id = ibanera.accepted_managee()
    hooks(ibanera, receiver)
    ibanera.payin(account_id, 10)
    [message] = settle(ibanera, count=1)
    again = control(ibanera, "POST", f"/webhooks/deliveries/{message['id']}/redeliver")
    assert again.status_code == 202 and details(again)["id"] == message["id"]
    first, second = receiver.wait_for(DEPOSIT, timeout=WAIT), receiver.wait_for(DEPOSIT, count=2, timeout=WAIT)
    assert second.body == first.body and signed(second)  # the same Id: a receiver can tell it is a repeat
    [message] = settle(ibanera, count=1, attempts=2)
    assert [a["redelivery"] for a in message["attempts"]] == [False, True]
    missing = control(ibanera, "POST", "/webhooks/deliveries/00000000-0000-4000-8000-000000000000/redeliver")
    assert missing.status_code == 404 and errors_of(missing) == [("", "Not_Found")]


def test_with_no_endpoint_events_are_kept_and_never_sent(ibanera):
    ibanera.accepted_managee()
    assert [(m["type"], m["state"], m["url"], m["attempts"]) for m in deliveries(ibanera)] == [
        (KYC, "no-endpoint", None, []), (JUMIO, "no-endpoint", None, [])]


def test_the_hash_secret_shows_only_its_prefix(ibanera, receiver):
    _, account_id = ibanera.accepted_managee()
    shown = hooks(ibanera, receiver, secret="a-long-hash-secret-nobody-sees")
    assert shown["secret"] == "a-lo" and "webhook-signature" in shown["signing"]
    assert details(control(ibanera, "GET", "/webhooks"))["secret"] == "a-lo"
    ibanera.payin(account_id, 1)
    [message] = settle(ibanera, count=1)
    assert "nobody-sees" not in json.dumps(message)
    assert signed(receiver.wait_for(DEPOSIT, timeout=WAIT), "a-long-hash-secret-nobody-sees")


@pytest.mark.parametrize("path,body,field", [
    ("/webhooks", {"url": "not a url", "secret": SECRET}, "url"),
    ("/webhooks", {"url": "ftp://127.0.0.1/hooks"}, "url"),
    ("/webhooks", {"secret": SECRET}, "url"),
    ("/webhooks", {"url": "http://127.0.0.1:9/hooks", "secret": "s" * 257}, "secret"),
    ("/outcomes", {"kyc": {"progression": "after"}}, None),
    ("/outcomes", {"kyc": {"progression": "immediate", "outcome": "APPROVED"}}, None),
    ("/outcomes", {"kyc": {"progression": "soon"}}, None),
    ("/outcomes", {"kyb": {"progression": "immediate"}}, None),
])
def test_a_setting_that_cannot_be_is_refused_in_ibaneras_envelope_and_changes_nothing(ibanera, path, body, field):
    before = details(control(ibanera, "GET", path))
    refused = control(ibanera, "PUT", path, body)
    assert refused.status_code == 400
    errors = errors_of(refused)
    assert errors and all(code == "Invalid" for _, code in errors), errors
    if field is not None:
        assert field in [name for name, _ in errors], errors
    assert details(control(ibanera, "GET", path)) == before


def test_the_controls_want_the_managers_token(client):
    for method, path in (("GET", "/webhooks"), ("PUT", "/outcomes"), ("GET", "/webhooks/deliveries")):
        refused = client.open(f"/_sandbox/ibanera{path}", method=method, json={},
                              headers={"Authorization": "Bearer not-a-token"})
        assert refused.status_code == 401 and errors_of(refused) == [("Authorization", "Unauthorised")]


# -- two managers (tenants) ----------------------------------------------------------------------------
def test_managers_never_see_each_others_outcomes_endpoints_outboxes_or_events(
        ibanera, ibanera2, receiver, other_receiver):
    hooks(ibanera, receiver)
    hooks(ibanera2, other_receiver, secret=OTHER_SECRET)
    kyc(ibanera2, progression="immediate", outcome="Rejected")
    assert details(control(ibanera, "GET", "/outcomes"))["kyc"]["progression"] == "manual"
    assert details(control(ibanera, "GET", "/webhooks"))["url"] == receiver.url_for("ibanera")
    assert details(control(ibanera2, "GET", "/webhooks"))["secret"] == OTHER_SECRET[:4]

    mine = ibanera.new_managee(emailAddress="same@example.com")
    theirs = ibanera2.new_managee(emailAddress="same@example.com")
    assert status_of(ibanera, mine) == "Pending" and status_of(ibanera2, theirs) == "Rejected"
    theirs_updated = other_receiver.wait_for(KYC, timeout=WAIT)
    assert theirs_updated.json["Data"]["ManageesId"] == theirs and signed(theirs_updated, OTHER_SECRET)
    assert not signed(theirs_updated, SECRET)
    # one manager cannot decide the other's managee, nor see or redeliver its events
    refused = ibanera.set_verification(theirs, "Accepted")
    assert refused.status_code == 400 and errors_of(refused) == [("ManageesId", "Managee_Not_Found")]
    assert deliveries(ibanera) == []
    their_message = deliveries(ibanera2)[0]["id"]
    assert control(ibanera, "POST", f"/webhooks/deliveries/{their_message}/redeliver").status_code == 404
    time.sleep(0.3)
    assert receiver.of() == []
    assert {r.json["Data"]["ManageesId"] for r in other_receiver.of()} == {theirs}

    # my decision goes to my receiver only
    ibanera.set_verification(mine, "Accepted")
    assert receiver.wait_for(KYC, timeout=WAIT).json["Data"]["ManageesId"] == mine
    assert {r.json["Data"]["ManageesId"] for r in other_receiver.of()} == {theirs}
    # one manager's reset drops its own outbox, endpoint and settings, not the other's
    assert control(ibanera2, "POST", "/reset").status_code == 200
    assert deliveries(ibanera2) == [] and len(settle(ibanera, count=2)) == 2
    assert details(control(ibanera2, "GET", "/webhooks"))["url"] is None
    assert details(control(ibanera, "GET", "/webhooks"))["url"] == receiver.url_for("ibanera")


# -- the scenario file -------------------------------------------------------------------------------
def scenario_file(tmp_path, rest_of_ops: str):
    """A scenario whose first manager, ops@example.com, goes on with `rest_of_ops` (YAML at its indent)."""
    path = tmp_path / "scenario.yaml"
    path.write_text("ibanera:\n  managers:\n    - username: ops@example.com\n      password: pw\n"
                    "      totp_secret: 3S3QY26KJEEBY4FPBER5NCOMBZQMT3N4" + rest_of_ops)
    return path


def test_a_scenarios_manager_carries_its_webhook_endpoint_and_kyc_outcome(tmp_path, receiver):
    path = scenario_file(tmp_path, f"""
      webhooks: {{url: "{receiver.url_for('ibanera')}", secret: scenario-secret}}
      outcomes: {{kyc: {{progression: immediate, outcome: Rejected, reason: From the scenario}}}}
      managees:
        - {{verification: Accepted, balance: 10}}
    - username: quiet@example.com
      password: pw
      totp_secret: PTPWMOP5F66FT6PHAHIQNPOGG7JPCQ4X
""")
    app = create_app(Config(scenario=str(path)))
    try:
        client = app.test_client()
        ops = IbaneraClient(client, "ops@example.com", password="pw").login()
        assert deliveries(ops) == []  # the seeded managee and its balance were loaded quietly
        assert details(control(ops, "GET", "/outcomes"))["kyc"]["reason"] == "From the scenario"
        managees_id = ops.new_managee()
        assert status_of(ops, managees_id) == "Rejected"
        updated = receiver.wait_for(KYC, timeout=WAIT)
        assert signed(updated, "scenario-secret") and updated.json["Data"]["RejectReason"] == "From the scenario"
        quiet = IbaneraClient(client, "quiet@example.com", password="pw").login()
        assert details(control(quiet, "GET", "/webhooks"))["url"] is None
        assert details(control(quiet, "GET", "/outcomes"))["kyc"]["progression"] == "manual"
        # a reset brings the scenario's endpoint and outcome back
        details(control(ops, "PUT", "/outcomes", {"kyc": {"progression": "manual"}}))
        client.post("/_sandbox/reset")
        assert details(control(ops, "GET", "/outcomes"))["kyc"]["progression"] == "immediate"
        assert details(control(ops, "GET", "/webhooks"))["url"] == receiver.url_for("ibanera")
    finally:
        sandbox_of(app).close()


@pytest.mark.parametrize("extra,message", [
    ("webhooks: {url: nowhere}", "webhooks.url"),
    ("outcomes: {kyc: {progression: after}}", "outcomes.kyc.delay"),
    ("outcomes: {kyc: {progression: immediate, outcome: APPROVED}}", "outcomes.kyc.outcome"),
])
def test_a_scenarios_bad_webhooks_or_outcomes_are_refused_with_a_reason(tmp_path, extra, message):
    path = scenario_file(tmp_path, f"\n      {extra}\n")
    with pytest.raises(ScenarioError, match=re.escape(message)):
        create_app(Config(scenario=str(path)))
