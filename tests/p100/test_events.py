"""P100 calls back (issue #16): each documented event, with the partner's
secret token in `Authorization`, acknowledged only by 200, retried about 8,
16, 32 and 64 s after a failure; and what P100 decides later (KYC, KYC
files, POA, transfers, SEPA, withdrawals, deposits), as each API key
chooses, in sandbox time. Over HTTP, with a receiver on 127.0.0.1."""

from __future__ import annotations

import json
import time

from sandbox.providers.p100.kit import P100Kit
from sandbox.testing.receiver import Receiver
from tests.p100.client import KEY, KEY_2, PNG, files
from tests.p100.test_onboarding import error

SECRET, SECRET_2 = "p100-token-of-key-1", "p100-token-of-key-2"
KYC, USER_STATUS, KYC_FILES, POA = ("/webhook/kyc-verification/status", "/webhook/user/status",
                                    "/webhook/kyc-files/status", "/webhook/poa-verification/status")
TRANSFER, WITHDRAWAL, DEPOSIT = "/transfer-webhook", "/crypto-withdrawal-webhook", "/crypto-deposit-webhook"
WAIT = 10  # seconds a test waits for a delivery (the worker is a background thread)
KYC_BODY = {"documentType": "PASSPORT", "country": "PL", "incomeSource": "SALARY", "openAccountReason": "DAILY_USE",
            "occupation": "IT", "additionalInfo": "Engineer"}


def hooks(p100, receiver, secret=SECRET) -> dict:
    answer = p100.control("PUT", "/webhooks", {"url": receiver.url_for("p100"), "secret": secret})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def outcomes(p100, **kinds) -> dict:
    answer = p100.control("PUT", "/outcomes", kinds)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def advance(client, duration: str) -> None:
    assert client.post("/_sandbox/clock", json={"advance": duration}).status_code == 200


def deliveries(p100, **query) -> list[dict]:
    answer = p100.client.get("/_sandbox/p100/webhooks/deliveries", headers=p100.headers, query_string=query)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["deliveries"]


def settled(p100, state: str, attempts: int, timeout: float = 3.0, **query) -> list[dict]:
    """The outbox once a message reached `state` with `attempts` attempts (recorded in the background)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in deliveries(p100, state=state, **query) if len(m["attempts"]) >= attempts]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.01)


def sent(p100, receiver, path: str, count: int) -> list[dict]:
    """The bodies of `path` events in the order P100 sent them (its outbox's; the receiver's threads may
    record two deliveries in a row the other way round), once the receiver got `count` of them, and the
    receiver got exactly those."""
    receiver.wait_for(path, count=count, timeout=WAIT)
    ordered = [m["body"] for m in reversed(deliveries(p100, type=path))]
    assert sorted(map(json.dumps, ordered)) == sorted(json.dumps(r.json) for r in receiver.of(path))
    return ordered


def start_kyc(p100, user: str):
    return p100.post("/v1/kyc", {"externalUserId": user, **KYC_BODY})


def kyc_status(p100, user: str) -> dict:
    return p100.get(f"/v1/kyc/status/{user}").get_json()


def test_kyc_after_ten_minutes_is_decided_by_the_clock_and_its_event_retried_on_the_documented_schedule(
        client, p100, frozen, receiver):
    hooks(p100, receiver)
    assert outcomes(p100, kyc={"progression": "after", "delay": "PT10M", "outcome": "SUCCESSFUL"})["kyc"] == {
        "progression": "after", "delay": "PT600S", "outcome": "SUCCESSFUL", "reason": None}
    p100.create_user("kate")
    assert start_kyc(p100, "kate").status_code == 201
    pending = {"externalUserId": "kate", "verificationStatus": "NOT_VERIFIED", "attemptStatus": "PENDING",
               "rejectionReason": None}
    assert kyc_status(p100, "kate") == pending
    first = receiver.wait_for(KYC, timeout=WAIT)
    assert first.json == pending and first.header("Authorization") == SECRET

    receiver.fail_next(1, status=200)  # VERIFICATION is acknowledged ...
    receiver.fail_next(5, status=500)  # ... the decision is not, five times
    advance(client, "PT9M59S")
    time.sleep(0.2)
    assert kyc_status(p100, "kate")["attemptStatus"] == "PENDING" and len(receiver.of(KYC)) == 1
    advance(client, "PT1S")
    assert kyc_status(p100, "kate") == {**pending, "verificationStatus": "VERIFIED", "attemptStatus": "SUCCESSFUL"}
    receiver.wait_for(KYC, count=3, timeout=WAIT)
    verifying, decided = sorted(receiver.of(KYC)[1:], key=lambda r: r.json["attemptStatus"] != "VERIFICATION")
    assert verifying.status == 200 and verifying.json["attemptStatus"] == "VERIFICATION"
    assert decided.status == 500 and decided.json == {**pending, "verificationStatus": "VERIFIED",
                                                      "attemptStatus": "SUCCESSFUL"}
    assert P100Kit.__new__(P100Kit).verify_webhook(decided.headers, decided.body, SECRET)
    for count, wait in ((4, 8), (5, 16), (6, 32), (7, 64)):  # each retry at its moment, not a second sooner
        advance(client, f"PT{wait - 1}S")
        time.sleep(0.2)
        assert len(receiver.of(KYC)) == count - 1, f"retry {count - 2} came early"
        advance(client, "PT1S")
        again = receiver.wait_for(KYC, count=count, timeout=WAIT)
        assert again.status == 500 and again.body == decided.body and again.header("Authorization") == SECRET
    [message] = settled(p100, "failed", 5)
    assert [a["status"] for a in message["attempts"]] == [500] * 5 and message["nextAttemptAt"] is None
    moments = [a["at"] for a in message["attempts"]]
    assert moments == sorted(moments) and len(set(moments)) == 5
    assert message["type"] == KYC and message["url"] == receiver.url_for("p100") + KYC
    assert message["headers"]["Authorization"] == SECRET[:4] + "…"  # the outbox shows a prefix only
    assert SECRET not in json.dumps(deliveries(p100))
    advance(client, "P1D")
    time.sleep(0.2)
    assert len(receiver.of(KYC)) == 7  # given up: no sixth attempt


def test_only_200_acknowledges_and_without_a_secret_no_authorization_is_sent(client, p100, frozen, receiver):
    hooks(p100, receiver, secret="")
    receiver.fail_next(1, status=204)
    p100.create_user("kate")
    start_kyc(p100, "kate")
    assert receiver.wait_for(KYC, timeout=WAIT).header("Authorization") is None
    advance(client, "PT8S")
    assert receiver.wait_for(KYC, count=2, timeout=WAIT).status == 200
    [message] = settled(p100, "delivered", 2)
    assert [a["status"] for a in message["attempts"]] == [204, 200]


def test_the_kit_verifies_p100s_scheme(receiver, client, p100):
    hooks(p100, receiver)
    p100.create_user("kate")
    start_kyc(p100, "kate")
    delivery = receiver.wait_for(KYC, timeout=WAIT)
    kit = P100Kit.__new__(P100Kit)
    assert kit.verify_webhook(delivery.headers, delivery.body, SECRET)
    assert not kit.verify_webhook(delivery.headers, delivery.body, SECRET_2)
    assert not kit.verify_webhook({}, delivery.body, SECRET)


def test_activation_a_manual_kyc_decision_and_user_status_active(client, p100, receiver):
    hooks(p100, receiver)
    p100.create_user("kate")
    start_kyc(p100, "kate")
    assert outcomes(p100)["kyc"]["progression"] == "manual"  # today's behaviour: a control decides
    decided = p100.kyc("kate", verificationStatus="VERIFIED", attemptStatus="SUCCESSFUL")
    assert decided["attemptStatus"] == "SUCCESSFUL"
    receiver.wait_for(KYC, count=2, timeout=WAIT)
    for _ in range(2):  # the balances are activated once
        assert p100.post("/v1/user/verification", {"externalUserId": "kate", "documentType": "PASSPORT",
                                                   "documentNumber": "XK1"}).status_code == 200
    active = receiver.wait_for(USER_STATUS, timeout=WAIT)
    assert active.json == {"externalUserId": "kate", "status": "ACTIVE"} and active.header("Authorization") == SECRET
    assert [b["attemptStatus"] for b in sent(p100, receiver, KYC, 2)] == ["PENDING", "SUCCESSFUL"]
    time.sleep(0.2)
    assert len(receiver.of()) == 3 and [m["type"] for m in reversed(deliveries(p100))] == [KYC, KYC, USER_STATUS]


def test_a_magic_email_rejects_one_users_kyc_and_is_listed(client, p100, receiver):
    hooks(p100, receiver)
    outcomes(p100, kyc={"progression": "immediate", "outcome": "SUCCESSFUL"})
    p100.create_user("eve", email="eve+kyc_rejected@example.pl")
    p100.create_user("bob")
    start_kyc(p100, "eve")
    start_kyc(p100, "bob")
    assert kyc_status(p100, "eve") == {"externalUserId": "eve", "verificationStatus": "NOT_VERIFIED",
                                       "attemptStatus": "REJECTED_BY_PROVIDER", "rejectionReason": "NO_FACE_FOUND"}
    assert kyc_status(p100, "bob")["verificationStatus"] == "VERIFIED"
    assert [(b["externalUserId"], b["attemptStatus"]) for b in sent(p100, receiver, KYC, 6)] == [
        ("eve", "PENDING"), ("eve", "VERIFICATION"), ("eve", "REJECTED_BY_PROVIDER"),
        ("bob", "PENDING"), ("bob", "VERIFICATION"), ("bob", "SUCCESSFUL")]
    magic = client.get("/_sandbox/magic").get_json()["magic"]
    # every provider that decides KYC later has a +kyc_rejected email; P100's is listed under P100
    assert [(m["field"], m["effect"]) for m in magic if m["provider"] == "p100" and "+kyc_rejected" in m["value"]] == [
        ("email", "the user's kyc outcome is REJECTED_BY_PROVIDER, whatever the API key's setting")]


def test_kyc_files_are_added_or_refused_as_set_and_added_files_go_to_verification(client, p100, frozen, receiver):
    hooks(p100, receiver)
    p100.create_user("kate")
    p100.create_user("eve", email="eve+kyc_files_error@example.pl")
    added = p100.upload("/v1/user/kyc-files/kate", files(PNG, PNG))
    assert added.status_code == 201 and added.get_json() == {"externalUserId": "kate", "status": "ADDED"}
    assert kyc_status(p100, "kate")["attemptStatus"] == "VERIFICATION"
    refused = p100.upload("/v1/user/kyc-files/eve", files(PNG))
    assert refused.get_json() == {"externalUserId": "eve", "status": "ERROR"}
    assert error(p100.get("/v1/kyc/status/eve"))[:2] == (404, "P445")  # nothing kept
    outcomes(p100, kyc_files={"progression": "after", "delay": "PT1H", "outcome": "ADDED"},
             kyc={"progression": "after", "delay": "PT10M", "outcome": "REJECTED_BY_PROVIDER", "reason": "BLURRY"})
    p100.create_user("ola")
    assert p100.upload("/v1/user/kyc-files/ola", files(PNG)).get_json()["status"] == "PROCESSING"
    assert error(p100.get("/v1/kyc/status/ola"))[:2] == (404, "P445")
    advance(client, "PT1H")
    assert kyc_status(p100, "ola")["attemptStatus"] == "VERIFICATION"
    advance(client, "PT10M")
    assert kyc_status(p100, "ola")["rejectionReason"] == "BLURRY"
    assert sent(p100, receiver, KYC_FILES, 3) == [{"externalUserId": "kate", "status": "ADDED"},
                                           {"externalUserId": "eve", "status": "ERROR"},
                                           {"externalUserId": "ola", "status": "ADDED"}]


def test_proof_of_address_waits_then_is_decided_by_the_clock_or_a_control(client, p100, frozen, receiver):
    hooks(p100, receiver)
    p100.create_user("olena", country="UA")
    p100.create_user("ivan", country="UA", email="ivan+poa_questioned@example.ua")
    assert p100.upload("/v1/user/poa-files/olena", files(PNG)).get_json()["status"] == "WAITING"
    advance(client, "P7D")  # manual unless set
    assert p100.kyc("olena", poaStatus="APPROVED")["poaStatus"] == "APPROVED"
    outcomes(p100, poa={"progression": "after", "delay": "PT2H", "outcome": "APPROVED"})
    p100.upload("/v1/user/poa-files/ivan", files(PNG))
    advance(client, "PT2H")
    assert p100.kyc("ivan")["poaStatus"] == "QUESTIONED"  # its magic email, not the key's APPROVED
    assert sent(p100, receiver, POA, 4) == [{"externalUserId": "olena", "status": "WAITING"},
                                     {"externalUserId": "olena", "status": "APPROVED"},
                                     {"externalUserId": "ivan", "status": "WAITING"},
                                     {"externalUserId": "ivan", "status": "QUESTIONED"}]


def test_a_transfer_settles_at_once_by_default_or_later_and_may_fail(client, p100, frozen, receiver):
    hooks(p100, receiver)
    p100.verified_user("kate")
    sent = p100.post("/v1/transfer", {"destinationExternalUserId": "kate", "currency": "eur", "amount": "100"})
    transfer_id = sent.get_json()["transferId"]
    assert p100.get(f"/v1/transfer/details/{transfer_id}").get_json()["status"] == "SUCCESSFUL"
    event = receiver.wait_for(TRANSFER, timeout=WAIT)
    assert event.json == {"id": transfer_id, "sourceExternalUserId": None, "destinationExternalUserId": "kate",
                          "amount": 100, "currency": "eur", "status": "SUCCESSFUL",
                          "createdAt": event.json["createdAt"], "error": None}
    assert event.header("Authorization") == SECRET and event.json["createdAt"].endswith("Z")

    outcomes(p100, transfer={"progression": "after", "delay": "PT5M", "outcome": "FAILED"})
    back = p100.post("/v1/transfer", {"sourceExternalUserId": "kate", "currency": "eur", "amount": 40.5})
    assert back.status_code == 201
    back_id = back.get_json()["transferId"]
    assert p100.get(f"/v1/transfer/details/{back_id}").get_json()["status"] == "PROCESSING"
    assert p100.balances("kate")["eur"] == "59.50"  # debited at once (P433 is checked on create)
    partner_eur = p100.partner_balances()["eur"]
    advance(client, "PT5M")
    failed = p100.get(f"/v1/transfer/details/{back_id}").get_json()
    assert failed["status"] == "FAILED" and failed["error"] == {"description": "Transfer failed", "status": "Error"}
    assert p100.balances("kate")["eur"] == "100.00" and p100.partner_balances()["eur"] == partner_eur
    assert receiver.wait_for(TRANSFER, count=2, timeout=WAIT).json["status"] == "FAILED"
    assert p100.history("kate")["transactions"][0]["type"] == "REFUND"


def test_a_withdrawal_settles_with_its_hash_or_fails_and_gives_back_amount_and_fee(client, p100, frozen, receiver):
    hooks(p100, receiver)
    p100.verified_user("kate")
    p100.deposit_crypto("kate", "btc", "0.01")
    body = {"sourceExternalUserId": "kate", "currency": "btc", "amount": "0.002", "walletAddress": "tb1qkate",
            "name": "Kate", "walletType": "NON_CUSTODIAL", "receiverType": "NATURAL"}
    withdrawal_id = p100.post("/v1/crypto-withdrawal", body).get_json()["withdrawalId"]
    event = receiver.wait_for(WITHDRAWAL, timeout=WAIT)
    assert event.json == {"id": withdrawal_id, "amount": 0.002, "fee": 0.0003, "destination": "tb1qkate",
                          "status": "SUCCESSFUL", "transactionHash": event.json["transactionHash"],
                          "currency": {"currency": "btc", "network": "btc"}, "createdAt": event.json["createdAt"],
                          "user": {"externalUserId": "kate"}}
    assert event.json["transactionHash"].startswith("0x")
    outcomes(p100, crypto_withdrawal={"progression": "after", "delay": "PT30M", "outcome": "FAILED"})
    failing = p100.post("/v1/crypto-withdrawal", body).get_json()["withdrawalId"]
    details = p100.get(f"/v1/crypto-withdrawal/details/{failing}").get_json()
    assert details["status"] == "PROCESSING" and details["transactionHash"] is None
    assert p100.balances("kate")["btc"] == "0.00540000"
    advance(client, "PT30M")
    assert p100.get(f"/v1/crypto-withdrawal/details/{failing}").get_json()["status"] == "FAILED"
    assert p100.balances("kate")["btc"] == "0.00770000"
    assert receiver.wait_for(WITHDRAWAL, count=2, timeout=WAIT).json["status"] == "FAILED"


def test_a_deposit_is_seen_then_decided_and_a_held_one_released_by_the_travel_rule(client, p100, receiver):
    hooks(p100, receiver)
    p100.create_user("kate")
    seen = p100.deposit_crypto("kate", "eth", "0.5")
    assert seen["status"] == "SUCCESSFUL"  # decided at once unless set: the control's answer shows it
    held = p100.deposit_crypto("kate", "eth", "0.25", holdForTravelRule=True)
    assert held["status"] == "WAITING_FOR_TR_DATA"
    released = p100.patch("/v1/crypto-deposit/travel-rule", {"cryptoDepositId": held["cryptoDepositId"],
                                                             "name": "Anna Nowak", "walletType": "CUSTODIAL",
                                                             "receiverType": "NATURAL"})
    assert released.get_json()["status"] == "SUCCESSFUL"
    in_order = sent(p100, receiver, DEPOSIT, 5)
    assert [(b["cryptoDepositId"], b["status"]) for b in in_order] == [
        (seen["cryptoDepositId"], "WAITING_FOR_VERIFICATION"), (seen["cryptoDepositId"], "SUCCESSFUL"),
        (held["cryptoDepositId"], "WAITING_FOR_VERIFICATION"), (held["cryptoDepositId"], "WAITING_FOR_TR_DATA"),
        (held["cryptoDepositId"], "SUCCESSFUL")]
    assert in_order[0] == {"externalUserId": "kate", "cryptoDepositId": seen["cryptoDepositId"], "amount": 0.5,
                     "currency": "eth", "status": "WAITING_FOR_VERIFICATION",
                     "transactionHash": seen["transactionHash"], "createdAt": seen["createdAt"]}
    outcomes(p100, crypto_deposit={"progression": "immediate", "outcome": "UNSUCCESSFUL"})
    assert p100.deposit_crypto("kate", "eth", "1")["status"] == "UNSUCCESSFUL"
    assert p100.balances("kate")["eth"] == "0.75000000"


def test_a_sepa_transfer_is_processing_until_decided_and_checks_funds_then(client, p100, frozen):
    p100.verified_user("kate")
    p100.deposit_fiat("kate", "50.00")
    outcomes(p100, sepa_transfer={"progression": "after", "delay": "PT1H", "outcome": "SUCCESSFUL"})
    body = {"sourceExternalUserId": "kate", "currency": "eur", "destinationIban": "DE89370400440532013000",
            "transferTitle": "Rent"}
    paid = p100.post("/v1/sepa-transfer", {**body, "amount": "20.00"}).get_json()["transferId"]
    unpaid = p100.post("/v1/sepa-transfer", {**body, "amount": "40.00"}).get_json()["transferId"]
    assert p100.get(f"/v1/sepa-transfer/details/{paid}").get_json()["status"] == "PROCESSING"
    assert p100.balances("kate")["eur"] == "50.00"
    advance(client, "PT1H")
    assert p100.get(f"/v1/sepa-transfer/details/{paid}").get_json()["status"] == "SUCCESSFUL"
    assert p100.get(f"/v1/sepa-transfer/details/{unpaid}").get_json()["error"] == {
        "errorCode": "P433", "errorName": "insufficient-funds"}
    assert p100.balances("kate")["eur"] == "29.00"  # 20 and the 1 EUR fee; the second found too little


def test_two_api_keys_never_see_each_others_outcomes_endpoints_outboxes_or_events(client, p100, other, receiver):
    theirs = Receiver()
    try:
        hooks(p100, receiver)
        hooks(other, theirs, secret=SECRET_2)
        outcomes(other, kyc={"progression": "immediate", "outcome": "REJECTED_BY_PROVIDER"})
        assert outcomes(p100)["kyc"]["progression"] == "manual"
        assert p100.control("GET", "/webhooks").get_json()["url"] == receiver.url_for("p100")
        assert other.control("GET", "/webhooks").get_json()["secret"] == SECRET_2[:4]
        for partner in (p100, other):
            partner.create_user("kate")
            start_kyc(partner, "kate")
        assert kyc_status(p100, "kate")["attemptStatus"] == "PENDING"
        assert kyc_status(other, "kate")["attemptStatus"] == "REJECTED_BY_PROVIDER"
        theirs.wait_for(KYC, count=3, timeout=WAIT)
        receiver.wait_for(KYC, timeout=WAIT)
        time.sleep(0.2)
        assert len(receiver.of()) == 1 and all(r.header("Authorization") == SECRET for r in receiver.of())
        assert len(theirs.of()) == 3 and all(r.header("Authorization") == SECRET_2 for r in theirs.of())
        assert len(deliveries(p100)) == 1 and len(deliveries(other)) == 3
        their_id = deliveries(other)[0]["id"]
        assert error(p100.control("POST", f"/webhooks/deliveries/{their_id}/redeliver"))[:2] == (404, "P404")
        assert p100.control("POST", "/reset").status_code == 200  # one key's reset: its own outbox only
        assert deliveries(p100) == [] and len(deliveries(other)) == 3
        assert outcomes(other)["kyc"]["progression"] == "immediate"
    finally:
        theirs.close()


def test_a_scenario_sets_each_keys_webhooks_and_outcomes_and_its_seeding_sends_nothing(tmp_path, receiver):
    from sandbox.app import create_app
    from sandbox.config import Config
    from sandbox.core.runtime import sandbox_of
    from tests.conftest import PROVIDERS
    from tests.p100.client import P100Client

    scenario = tmp_path / "hooks.yaml"
    scenario.write_text(
        "p100:\n  api_keys:\n"
        f"    - api_key: {KEY}\n"
        f"      webhooks: {{url: '{receiver.url_for('p100')}', secret: {SECRET}}}\n"
        "      outcomes: {kyc: {progression: immediate, outcome: SUCCESSFUL}}\n"
        "      partner_balances: {eur: '10.00'}\n"
        "      users:\n"
        "        - {external_user_id: ada, kyc: {verification_status: VERIFIED, attempt_status: SUCCESSFUL},\n"
        "           verified: true, kyc_verifications: [{document_type: PASSPORT}],\n"
        "           transfers: [{direction: to_user, currency: eur, amount: '1'}]}\n"
        f"    - api_key: {KEY_2}\n")
    app = create_app(Config(scenario=str(scenario)), PROVIDERS)
    try:
        p100 = P100Client(app.test_client())
        assert deliveries(p100) == []  # the scenario's records are history
        assert p100.balances("ada")["eur"] == "1.00"
        assert outcomes(p100)["kyc"]["progression"] == "immediate"
        p100.create_user("kate")
        start_kyc(p100, "kate")
        assert [b["attemptStatus"] for b in sent(p100, receiver, KYC, 3)] == ["PENDING", "VERIFICATION", "SUCCESSFUL"]
        assert {r.header("Authorization") for r in receiver.of(KYC)} == {SECRET}
    finally:
        sandbox_of(app).close()
