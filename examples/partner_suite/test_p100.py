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


def test_kyc_decided_ten_minutes_later_reaches_our_webhook(sandbox, p100_client):
    """Our webhook endpoint learns the KYC result: P100 calls it with our secret token in Authorization."""
    sandbox.clock.freeze()
    hooks = sandbox.webhooks  # a receiver on 127.0.0.1, registered as our webhook URL
    sandbox.p100.set_outcomes(kyc={"progression": "after", "delay": "PT10M", "outcome": "SUCCESSFUL"})
    new_user(p100_client, "carol")
    started = p100_client.post("/v1/kyc", json={
        "externalUserId": "carol", "documentType": "PASSPORT", "country": "PL", "incomeSource": "SALARY",
        "openAccountReason": "DAILY_USE", "occupation": "IT", "additionalInfo": "Engineer"})
    assert started.status_code == 201, started.text
    assert p100_client.get("/v1/kyc/status/carol").json()["attemptStatus"] == "PENDING"
    kyc = "/webhook/kyc-verification/status"
    assert hooks.wait_for(kyc, timeout=5).json["attemptStatus"] == "PENDING"
    hooks.fail_next(1)  # our endpoint is down for the next delivery
    sandbox.clock.advance("PT10M")
    failed = hooks.wait_for(kyc, count=2, timeout=5)
    assert failed.status == 500 and failed.json["attemptStatus"] == "VERIFICATION"
    sandbox.clock.advance("PT8S")  # P100 retries about 8 s later; the decision waits its turn
    hooks.wait_for(kyc, count=4, timeout=5)
    decided = next(d for d in hooks.of(kyc) if d.json["attemptStatus"] == "SUCCESSFUL")
    assert hooks.verify(decided) and decided.json["verificationStatus"] == "VERIFIED"
    verification = sandbox.p100.deliveries(type=kyc)[1]
    assert [a["status"] for a in verification["attempts"]] == [500, 200]


def test_a_transfer_to_our_user_is_announced(sandbox, p100_client):
    hooks = sandbox.webhooks
    sent = p100_client.post("/v1/transfer", json={"destinationExternalUserId": "ada", "currency": "eur",
                                                  "amount": "25.00"})
    assert sent.status_code == 201
    event = hooks.wait_for("/transfer-webhook", timeout=5)
    assert hooks.verify(event)
    assert event.json["id"] == sent.json()["transferId"] and event.json["status"] == "SUCCESSFUL"
