"""Partners never see each other's users or operations, on any path."""

from __future__ import annotations

from dataclasses import replace

from tests.p100.harness import P100Harness
from tests.p100.test_onboarding import error

#: operations that name no record of a partner (they act on the caller's own world)
NAMES_NO_RECORD = {("post", "/v1/user/balances/crypto-and-fiat"), ("get", "/v1/exchange/get-rate"),
                   ("get", "/v1/crypto-withdrawal/get-network-fee"), ("get", "/partner/balances"),
                   ("put", "/partner/balances"), ("get", "/verification/{verification_id}"), ("post", "/reset")}


def test_key_2_never_sees_key_1s_records_on_any_path(client, other):
    calls = P100Harness().calls(client)  # key 1's world: users, deposits, exchange, transfers, locks, ...
    answers = {}
    for key, call in calls.items():
        if call.refused is None and key not in NAMES_NO_RECORD:
            response = replace(call, headers=other.headers).send(client)
            answers[key] = (response.status_code, response.get_json()["errorCode"] if response.is_json else None)
    assert len(answers) == 27
    unexpected = {key: a for key, a in answers.items() if a not in {(400, "P412"), (404, "P428"), (404, "P446"),
                                                                     (404, "P470"), (404, "P474"), (404, "P475"),
                                                                     (404, "P476"), (404, "P477")}}
    assert not unexpected
    # and key 1 still sees its own world
    assert all(call.succeeded(call.send(client)) for key, call in calls.items()
               if key[0] == "get" and key not in NAMES_NO_RECORD)


def test_same_external_user_id_in_two_partners_is_two_users(p100, other):
    mine = p100.create_user("alice")["userId"]
    theirs = other.create_user("alice")["userId"]
    assert mine != theirs
    p100.verified_user("bob")
    p100.deposit_fiat("bob", "10.00")
    assert error(other.get("/v1/user/balances/bob"))[:2] == (400, "P412")
    assert other.balances("alice")["eur"] == "0.00"
    assert p100.partner_balances()["eur"] == "100000.00" and other.partner_balances()["eur"] == "50000.00"
    assert error(other.control("POST", "/users/bob/fiat-deposits", {"amount": "1"}))[:2] == (400, "P412")
    assert error(other.control("POST", "/users/bob/kyc", {"verificationStatus": "VERIFIED"}))[:2] == (400, "P412")


def test_cards_are_offline_on_every_documented_endpoint(client, p100):
    from sandbox.providers.p100.routes.cards import CARD_ENDPOINTS

    for method, path, _ in CARD_ENDPOINTS:
        concrete = path.replace("<external_user_id>", "alice").replace("<card_id>", "c1")
        response = client.open(f"/p100{concrete}", method=method, json={"externalUserId": "alice", "cardId": "c1"},
                               headers=p100.headers)
        assert error(response) == (400, "P480", "All Virtual Card services are temporarily suspended"), path
