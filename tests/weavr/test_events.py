"""Weavr calls back (issue #16), over HTTP: a receiver started by the test on
127.0.0.1 gets each event at the api-key's URL plus its path, its body valid
against Weavr's official webhooks spec and both signatures recomputed by the
spec's formula (tests/weavr/webhooks.py); KYC decided later on the api-key's
`kyc` outcome, in sandbox time; fee charges held by its `fee` outcome;
retries on the schedule as the clock moves; the outbox shows every attempt;
two api-keys never see each other's."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from sandbox.config import Config
from sandbox.providers.weavr import examples as x
from sandbox.testing.receiver import Receiver
from tests.weavr.client import KEY, KEY_2, WeavrClient, consumer_body, error_code
from tests.weavr.webhooks import assert_signed, assert_valid

KYC, ACTIVATED, FEES, LOGIN = ("/consumers/kyc/watch", "/consumers/consumer_activated/watch", "/fees/watch",
                               "/login/watch")
#: how long a test waits for a delivery (the worker is a background thread; CI machines are busy)
WAIT = 10
FEE = "PRINTED_CARD_ACCOUNT_STATEMENT"


def control(client, method, path, key=KEY, **kwargs):
    return client.open(f"/_sandbox/weavr{path}", method=method, headers={"api-key": key}, **kwargs)


def hooks(client, receiver, key=KEY) -> dict:
    answer = control(client, "PUT", "/webhooks", key, json={"url": receiver.url_for("weavr")})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def outcomes(client, key=KEY, **kinds) -> dict:
    answer = control(client, "PUT", "/outcomes", key, json=kinds)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def advance(client, duration: str) -> None:
    assert client.post("/_sandbox/clock", json={"advance": duration}).status_code == 200


def deliveries(client, key=KEY, **query) -> list[dict]:
    answer = control(client, "GET", "/webhooks/deliveries", key, query_string=query)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["deliveries"]


def settle(client, count, key=KEY, timeout=3.0, **query) -> list[dict]:
    """The outbox once `count` messages match `query` and none waits for its first attempt (the worker
    records attempts in the background)."""
    deadline = time.monotonic() + timeout
    while True:
        found = deliveries(client, key, limit=1000, **query)
        if (len(found) >= count and all(m["attempts"] or m["state"] != "pending" for m in found)) \
                or time.monotonic() > deadline:
            return found
        time.sleep(0.01)


def arrived(receiver, path: str, count: int) -> list:
    """The first `count` deliveries of `path`, in the order they arrived (the receiver lists each once it has
    answered it, so two in quick succession may be listed the other way round)."""
    receiver.wait_for(path, WAIT, count=count)
    return sorted(receiver.of(path), key=lambda delivery: delivery.at)[:count]


def kyc_of(weavr, log_in: bool = False) -> dict:
    """GET /consumers/kyc; `log_in` first, once the clock has moved past the token's 5 idle minutes."""
    if log_in:
        weavr.login()
    return weavr.get("/consumers/kyc").get_json()


def charge(weavr, account, **headers):
    return weavr.post("/consumers/fees/charge", {"feeType": FEE, "source": {"type": "managed_accounts",
                                                                          "id": account["id"]}}, **headers)


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


# -- KYC that takes a while (#16's Done-when) ----------------------------------------------------------
def test_kyc_decided_ten_minutes_later_calls_back_signed_and_retried_on_schedule(client, receiver, frozen):
    weavr = WeavrClient(client).onboard()  # its login: no endpoint yet, kept as no-endpoint
    assert outcomes(client, kyc={"progression": "after", "delay": "PT10M"})["kyc"] == {
        "progression": "after", "delay": "PT600S", "outcome": "APPROVED", "reason": None}
    hooks(client, receiver)
    assert weavr.post("/consumers/kyc").status_code == 200
    assert kyc_of(weavr)["fullDueDiligence"] == "INITIATED"  # pending
    initiated = receiver.wait_for(KYC, WAIT)
    body = assert_valid(initiated)
    assert_signed(initiated, KEY)
    assert body | {"eventTimestamp": "-"} == {
        "consumerId": weavr.id, "consumerEmail": weavr.email, "status": "INITIATED", "ongoingStatus": "INITIATED",
        "kycLevel": "KYC_LEVEL_2", "ongoingKycLevel": "KYC_LEVEL_2", "eventTimestamp": "-"}

    advance(client, "PT9M59S")
    assert kyc_of(weavr, log_in=True)["fullDueDiligence"] == "INITIATED"  # a new login: a new /login/watch
    receiver.wait_for(LOGIN, WAIT)
    receiver.fail_next(1)
    advance(client, "PT1S")  # the clock decides
    assert kyc_of(weavr) == {"fullDueDiligence": "APPROVED", "kycLevel": "KYC_LEVEL_2",
                             "ongoingFullDueDiligence": "APPROVED", "ongoingKycLevel": "KYC_LEVEL_2"}
    refused = receiver.wait_for(KYC, WAIT, count=2)
    assert refused.status == 500 and assert_valid(refused)["status"] == "APPROVED"
    assert_signed(refused, KEY)
    approved = settle(client, 1, state="pending", type=KYC)[0]
    [first] = approved["attempts"]
    # the first retry, a minute later (the inferred schedule)
    assert first["status"] == 500 and moment(approved["nextAttemptAt"]) - moment(first["at"]) == timedelta(minutes=1)
    advance(client, "PT59S")
    assert len(deliveries(client, type=KYC, state="pending")[0]["attempts"]) == 1  # not yet due
    advance(client, "PT1S")
    retried = receiver.wait_for(KYC, WAIT, count=3)
    assert retried.status == 200 and retried.body == refused.body
    assert retried.header("call-ref") == refused.header("call-ref")  # the same message again
    assert_signed(retried, KEY)
    activated = receiver.wait_for(ACTIVATED, WAIT)  # after the approval it follows, in order
    assert assert_valid(activated) == {"actionDoneBy": "ADMIN", "emailAddress": weavr.email}
    assert_signed(activated, KEY)
    assert activated.at >= retried.at

    outbox = [m for m in settle(client, 4, state="delivered") if m["type"] != LOGIN]
    assert [m["type"] for m in outbox] == [ACTIVATED, KYC, KYC]  # newest first
    assert [a["status"] for a in outbox[1]["attempts"]] == [500, 200]
    assert [a["status"] for a in outbox[2]["attempts"]] == [200]
    assert outbox[1]["body"]["status"] == "APPROVED" and outbox[1]["url"] == receiver.url_for("weavr") + KYC
    assert set(outbox[1]["headers"]) >= {"call-ref", "published-timestamp", "signature", "signature-v2"}
    assert [m["type"] for m in deliveries(client, state="no-endpoint")] == [LOGIN]


def test_the_control_decides_a_manual_kyc_with_the_rejections_details(client, receiver):
    hooks(client, receiver)
    weavr = WeavrClient(client).onboard()
    assert weavr.post("/consumers/kyc").status_code == 200
    assert control(client, "POST", f"/consumers/{weavr.id}/kyc", json={"status": "PENDING_REVIEW"}).status_code == 200
    decided = control(client, "POST", f"/consumers/{weavr.id}/kyc", json={
        "status": "REJECTED", "details": ["SELFIE_UNSATISFACTORY"], "rejectionComment": "Please retake the selfie"})
    assert decided.get_json()["fullDueDiligence"] == "REJECTED"
    statuses = [assert_valid(delivery) for delivery in arrived(receiver, KYC, 3)]
    assert [b["status"] for b in statuses] == ["INITIATED", "PENDING_REVIEW", "REJECTED"]
    assert statuses[2]["details"] == ["SELFIE_UNSATISFACTORY"]
    assert statuses[2]["rejectionComment"] == "Please retake the selfie"
    assert "details" not in statuses[1]
    assert receiver.of(ACTIVATED) == []  # never approved, never activated


def test_a_planned_rejection_with_a_reason_of_its_own(client, receiver):
    hooks(client, receiver)
    outcomes(client, kyc={"progression": "immediate", "outcome": "REJECTED", "reason": "Address unreadable"})
    weavr = WeavrClient(client).onboard()
    assert weavr.post("/consumers/kyc").status_code == 200
    assert kyc_of(weavr)["fullDueDiligence"] == "REJECTED"  # decided once the start had its answer
    rejected = assert_valid(arrived(receiver, KYC, 2)[1])
    assert rejected["details"] == ["OTHER"] and rejected["rejectionComment"] == "Address unreadable"
    assert error_code(weavr.post("/consumers/kyc")) == "KYC_REJECTED"


def test_a_plan_gives_way_to_a_decision_made_before_it_and_to_a_restart(client, receiver, frozen):
    hooks(client, receiver)
    outcomes(client, kyc={"progression": "after", "delay": "PT10M", "outcome": "REJECTED"})
    weavr = WeavrClient(client).onboard()
    weavr.post("/consumers/kyc")
    assert weavr.simulate(f"/consumers/{weavr.id}/verify").status_code == 204  # approved before the plan
    advance(client, "PT1H")
    assert kyc_of(weavr, log_in=True)["fullDueDiligence"] == "APPROVED"
    # the clock's move ran what was due before it answered: the outbox already holds all there is
    assert [m["body"]["status"] for m in deliveries(client, type=KYC)] == ["APPROVED", "INITIATED"]
    assert len(deliveries(client, type=ACTIVATED)) == 1
    # started again, the clock starts again: the first start's plan no longer decides
    again = WeavrClient(client).onboard()
    again.post("/consumers/kyc")
    advance(client, "PT4M")
    assert again.post("/consumers/kyc", {"kycLevel": "KYC_LEVEL_1"}).status_code == 200
    advance(client, "PT6M")  # the first start's ten minutes
    assert kyc_of(again, log_in=True) == {"fullDueDiligence": "INITIATED", "kycLevel": "KYC_LEVEL_1",
                                          "ongoingFullDueDiligence": "INITIATED", "ongoingKycLevel": "KYC_LEVEL_1"}
    advance(client, "PT4M")  # the second start's
    assert kyc_of(again, log_in=True)["fullDueDiligence"] == "REJECTED"
    assert [m["body"]["ongoingKycLevel"] for m in deliveries(client, type=KYC)[:3]] == [
        "KYC_LEVEL_1", "KYC_LEVEL_1", "KYC_LEVEL_2"]  # rejected, restarted at level 1, started


def test_a_magic_email_chooses_the_consumers_kyc_outcome(client, receiver, frozen):
    hooks(client, receiver)
    magic = client.get("/_sandbox/magic").get_json()["magic"]
    assert {m["value"] for m in magic if m["provider"] == "weavr"} == {
        "local part ends +kyc_approved", "local part ends +kyc_rejected"}
    rejected = WeavrClient(client).onboard(rootUser={"email": "ada+kyc_rejected@example.com"})
    rejected.post("/consumers/kyc")
    assert kyc_of(rejected)["fullDueDiligence"] == "REJECTED"  # manual here: a magic email decides at once
    # with the api-key's own setting (after 10 minutes, REJECTED), the magic email picks the outcome only
    outcomes(client, kyc={"progression": "after", "delay": "PT10M", "outcome": "REJECTED"})
    approved = WeavrClient(client).onboard(rootUser={"email": "Grace+KYC_Approved@example.com"})
    ordinary = WeavrClient(client).onboard()
    approved.post("/consumers/kyc")
    ordinary.post("/consumers/kyc")
    assert kyc_of(approved)["fullDueDiligence"] == "INITIATED"
    advance(client, "PT10M")
    assert kyc_of(approved, log_in=True)["fullDueDiligence"] == "APPROVED"
    assert kyc_of(ordinary, log_in=True)["fullDueDiligence"] == "REJECTED"
    events = [assert_valid(delivery) for delivery in arrived(receiver, KYC, 6)]
    assert {(e["consumerEmail"], e["status"]) for e in events} >= {
        ("ada+kyc_rejected@example.com", "REJECTED"), ("Grace+KYC_Approved@example.com", "APPROVED"),
        (ordinary.email, "REJECTED")}
    assert next(e for e in events if e["status"] == "REJECTED")["details"] == ["DOCUMENTS_UNSATISFACTORY"]


# -- logins and fees ----------------------------------------------------------------------------------------
def test_each_login_with_a_consumers_email_calls_back(client, receiver):
    weavr = WeavrClient(client).create().create_password().verify_email()
    hooks(client, receiver)
    weavr.login()
    wrong = {"email": weavr.email, "password": {"value": "Wr0ng-Passw0rd!"}}
    assert weavr.post("/login_with_password", wrong, token=False).status_code == 403
    unknown = {"email": "nobody@example.com", "password": {"value": "Passw0rd!"}}
    assert weavr.post("/login_with_password", unknown, token=False).status_code == 403
    verified, declined = arrived(receiver, LOGIN, 2)
    for delivery, status in ((verified, "VERIFIED"), (declined, "DECLINED")):
        body = assert_valid(delivery)
        assert_signed(delivery, KEY)
        assert body["status"] == status and body["type"] == "PASSWORD"
        assert body["credential"] == {"type": "ROOT", "id": weavr.id}
        assert body["identity"] == {"type": "CONSUMER", "id": weavr.id}
    assert len(settle(client, 2, type=LOGIN)) == 2  # an unknown email names no credential: no event


def test_a_fee_charge_calls_back_when_it_completes(client, receiver):
    weavr = WeavrClient(client).onboard()
    account = weavr.open_account("EUR", balance=1000)
    hooks(client, receiver)
    charged = charge(weavr, account).get_json()
    assert charged["state"] == "COMPLETED"  # in the request, as Weavr's QA saw
    delivery = receiver.wait_for(FEES, WAIT)
    body = assert_valid(delivery)
    assert_signed(delivery, KEY)
    assert body["type"] == "COMPLETED" and body["publishedTimestamp"].isdigit()
    assert body["chargeFee"] == {
        "id": charged["transactionId"]["id"], "feeType": "CUSTOM", "feeSubType": FEE,
        "source": {"type": "managed_accounts", "id": account["id"]},
        "feeSpec": {"type": "FLAT", "flatAmount": [{"currency": "EUR", "amount": "150"}]}, "profileId": "1011"}


def test_a_held_fee_charge_is_initialised_until_it_completes(client, receiver, frozen):
    weavr = WeavrClient(client).onboard()
    account = weavr.open_account("EUR", balance=1000)
    hooks(client, receiver)
    outcomes(client, fee={"progression": "after", "delay": "PT5M"})
    held = charge(weavr, account, **{"idempotency-ref": "fee-1"}).get_json()
    charge_id = held["transactionId"]["id"]
    assert held["state"] == "INITIALISED" and weavr.balance(account["id"]) == 850  # debited at once
    assert control(client, "GET", f"/fee_charges/{charge_id}").get_json()["state"] == "INITIALISED"
    assert charge(weavr, account, **{"idempotency-ref": "fee-1"}).get_json() == held  # the first answer again
    assert settle(client, 1, type=FEES, timeout=0.2) == []
    advance(client, "PT5M")
    assert control(client, "GET", f"/fee_charges/{charge_id}").get_json() == {**held, "state": "COMPLETED"}
    assert assert_valid(receiver.wait_for(FEES, WAIT))["chargeFee"]["id"] == charge_id
    again = control(client, "POST", f"/fee_charges/{charge_id}/complete")
    assert again.status_code == 409 and error_code(again) == "FEE_CHARGE_NOT_PENDING"

    outcomes(client, fee={"progression": "manual"})
    manual = charge(weavr, account).get_json()
    advance(client, "P1D")
    assert control(client, "GET", f"/fee_charges/{manual['transactionId']['id']}").get_json()["state"] == \
        "INITIALISED"
    completed = control(client, "POST", f"/fee_charges/{manual['transactionId']['id']}/complete")
    assert completed.status_code == 200 and completed.get_json()["state"] == "COMPLETED"
    assert assert_valid(receiver.wait_for(FEES, WAIT, count=2))["chargeFee"]["id"] == manual["transactionId"]["id"]
    assert weavr.balance(account["id"]) == 700 and len(settle(client, 2, type=FEES)) == 2


def test_a_fee_charge_the_control_cannot_find(client):
    missing = control(client, "POST", f"/fee_charges/{x.FIRST_CHARGE}/complete")
    assert missing.status_code == 404 and missing.get_json()["code"] == "FEE_CHARGE_NOT_FOUND"
    assert control(client, "GET", "/fee_charges/99999999999999999999").status_code == 404


# -- the endpoint, the scenario, two api-keys ---------------------------------------------------------------
def test_the_endpoint_takes_a_url_and_signs_with_the_api_key(client, receiver):
    given = control(client, "PUT", "/webhooks", json={"url": receiver.url_for("weavr"), "secret": "whsec-ignored"})
    shown = given.get_json()
    assert given.status_code == 200 and shown["url"] == receiver.url_for("weavr")
    assert shown["secret"] == KEY[:4] and "signature-v2" in shown["signing"]  # the api-key, by its prefix only
    WeavrClient(client).onboard()
    assert_signed(receiver.wait_for(LOGIN, WAIT), KEY)  # not with the secret sent
    assert control(client, "DELETE", "/webhooks").get_json()["url"] is None
    WeavrClient(client).onboard()
    assert [m["state"] for m in settle(client, 2, type=LOGIN)] == ["no-endpoint", "delivered"]
    refused = control(client, "PUT", "/webhooks", json={"url": "ftp://127.0.0.1/hooks"})
    assert refused.status_code == 400 and refused.get_json()["code"] == "BAD_REQUEST"
    assert control(client, "GET", "/webhooks").get_json()["url"] is None


def test_two_api_keys_never_see_each_others_outcomes_endpoints_outboxes_or_events(client, receiver):
    other = Receiver()
    try:
        hooks(client, receiver, KEY)
        hooks(client, other, KEY_2)
        outcomes(client, KEY, kyc={"progression": "immediate", "outcome": "REJECTED"})
        assert control(client, "GET", "/outcomes", KEY_2).get_json()["kyc"]["progression"] == "manual"
        assert control(client, "GET", "/webhooks", KEY_2).get_json()["url"] == other.url_for("weavr")
        mine, theirs = WeavrClient(client, KEY).onboard(), WeavrClient(client, KEY_2).onboard()
        mine.post("/consumers/kyc")
        theirs.post("/consumers/kyc")
        assert kyc_of(mine)["fullDueDiligence"] == "REJECTED" and kyc_of(theirs)["fullDueDiligence"] == "INITIATED"
        assert assert_valid(receiver.wait_for(KYC, WAIT, count=2))["consumerId"] == mine.id
        assert assert_valid(other.wait_for(KYC, WAIT))["consumerId"] == theirs.id
        settle(client, 3, KEY)
        settle(client, 2, KEY_2)
        for delivery in receiver.of():
            assert_signed(delivery, KEY)
            assert theirs.id not in delivery.body.decode()
        for delivery in other.of():
            assert_signed(delivery, KEY_2)
            assert mine.id not in delivery.body.decode()
        my_outbox, their_outbox = deliveries(client, KEY), deliveries(client, KEY_2)
        assert {m["id"] for m in my_outbox}.isdisjoint({m["id"] for m in their_outbox})
        assert all(theirs.id not in str(m["body"]) for m in my_outbox)
        redeliver = control(client, "POST", f"/webhooks/deliveries/{my_outbox[0]['id']}/redeliver", KEY_2)
        assert redeliver.status_code == 404
        assert control(client, "POST", f"/consumers/{mine.id}/kyc", KEY_2,
                       json={"status": "APPROVED"}).status_code == 404
        account = mine.open_account("EUR", balance=1000)
        charged = charge(mine, account).get_json()["transactionId"]["id"]
        assert control(client, "GET", f"/fee_charges/{charged}", KEY_2).status_code == 404
        assert control(client, "POST", "/reset", KEY_2).status_code == 200  # the other's reset keeps mine
        assert len(deliveries(client, KEY)) == len(settle(client, 4, KEY)) >= 4
    finally:
        other.close()


class TestScenario:
    @pytest.fixture
    def config(self, tmp_path):
        section = yaml.safe_load((Path(__file__).parents[2] / "sandbox/providers/weavr/default.yaml").read_text())
        section["api_keys"][0] |= {"webhooks": {"url": "http://127.0.0.1:9/hooks", "secret": "ignored"},
                                   "outcomes": {"kyc": {"progression": "after", "delay": "PT1H",
                                                        "outcome": "REJECTED"}}}
        scenario = tmp_path / "weavr.yaml"
        scenario.write_text(yaml.safe_dump({"weavr": section}))
        return Config(scenario=str(scenario))

    def test_an_api_key_brings_its_endpoint_and_outcomes_and_seeding_sends_nothing(self, client, sandbox):
        endpoint = control(client, "GET", "/webhooks").get_json()
        assert endpoint["url"] == "http://127.0.0.1:9/hooks" and endpoint["secret"] == KEY[:4]
        assert control(client, "GET", "/outcomes").get_json()["kyc"] == {
            "progression": "after", "delay": "PT3600S", "outcome": "REJECTED", "reason": None}
        assert control(client, "GET", "/outcomes", KEY_2).get_json()["kyc"]["progression"] == "manual"
        # the scenario's consumers (Alan's KYC INITIATED among them) sent no event and planned nothing
        assert deliveries(client) == [] and sandbox.scheduler.pending("weavr") == []
        assert WeavrClient(client).post("/consumers", consumer_body(), token=False).status_code == 200
