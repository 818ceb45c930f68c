"""P100: a partner's user goes through KYC and receives money (x-api-key)."""

import requests

P100_STAGE = "https://partner-api-stage.p100.io"


def new_user(client, external_user_id):
    response = client.post("/v1/user/balances/crypto-and-fiat", json={
        "externalUserId": external_user_id, "email": f"{external_user_id}@partner.example", "firstName": "Jan",
        "lastName": "Kowalski", "country": "PL", "citizenship": "PL", "hasAcceptedP100Tc": True})
    assert response.status_code == 201, response.text
    return response.json()


def test_user_verified_then_funded(sandbox, p100_client):
    new_user(p100_client, "alice")
    sandbox.p100.set_kyc("alice", verificationStatus="VERIFIED", attemptStatus="SUCCESSFUL")
    verified = p100_client.post("/v1/user/verification", json={
        "externalUserId": "alice", "documentType": "PASSPORT", "documentNumber": "XK1234567"})
    assert verified.status_code < 300, verified.text
    sandbox.p100.fiat_deposit("alice", "1000.00")
    balances = p100_client.get("/v1/user/balances/alice").json()
    assert balances  # the user's balances, with the deposit
    history = p100_client.get("/v1/user/transactions/alice").json()
    assert "1000" in str(history)


def test_partner_balances_control(sandbox):
    sandbox.p100.set_partner_balances({"eur": "42.00"})
    assert sandbox.p100.partner_balances()["balances"]["eur"] == "42.00"


def test_each_test_starts_from_the_scenario(sandbox, p100_client):
    assert sandbox.p100.partner_balances()["balances"]["eur"] == "100000.00"
    assert p100_client.get("/v1/user/balances/alice").json()["errorCode"] == "P412"


def test_the_stage_host_is_intercepted(intercept):
    key = intercept.credentials["p100"][0]["api_key"]
    session = requests.Session()
    session.headers["x-api-key"] = key
    created = session.post(f"{P100_STAGE}/v1/user/balances/crypto-and-fiat", json={
        "externalUserId": "bob", "email": "bob@partner.example", "firstName": "Jan", "lastName": "Kowalski",
        "country": "PL", "citizenship": "PL", "hasAcceptedP100Tc": True})
    assert created.status_code == 201
    with intercept.p100.client() as p100:
        assert p100.get("/v1/user/balances/bob").status_code == 200
