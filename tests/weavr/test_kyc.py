"""KYC: NOT_STARTED -> INITIATED -> (PENDING_REVIEW) -> APPROVED / REJECTED,
moved by POST /consumers/kyc, the simulator and the sandbox control."""

from __future__ import annotations

import re

from tests.weavr.client import KEY_2, WeavrClient, error_code

NOT_STARTED = {"fullDueDiligence": "NOT_STARTED", "kycLevel": "KYC_LEVEL_2",
               "ongoingFullDueDiligence": "NOT_STARTED", "ongoingKycLevel": "KYC_LEVEL_2"}


def status(weavr) -> dict:
    response = weavr.get("/consumers/kyc")
    assert response.status_code == 200 and response.headers["request-ref"]
    return response.get_json()


def start(weavr, level=None):
    return weavr.post("/consumers/kyc", {"kycLevel": level} if level else None)


def test_start_then_simulator_approval(weavr):
    weavr.onboard()
    assert status(weavr) == NOT_STARTED
    response = start(weavr)  # no body at all: the body is optional
    assert response.status_code == 200
    assert re.fullmatch(r"[0-9]+", response.get_json()["reference"])
    assert response.get_json()["kycLevel"] == "KYC_LEVEL_2"
    assert status(weavr)["fullDueDiligence"] == status(weavr)["ongoingFullDueDiligence"] == "INITIATED"
    weavr.approve_kyc()
    assert status(weavr) == {**NOT_STARTED, "fullDueDiligence": "APPROVED", "ongoingFullDueDiligence": "APPROVED"}
    consumer = weavr.get("/consumers").get_json()["rootUser"]
    assert consumer["emailVerified"] and consumer["mobileNumberVerified"]
    again = start(weavr)
    assert again.status_code == 409 and error_code(again) == "KYC_ALREADY_APPROVED"


def test_kyc_needs_a_verified_email(weavr):
    weavr.create()
    # the password-create token is a session token; the email is still unverified
    weavr.token = weavr.post(f"/passwords/{weavr.id}/create", {"password": {"value": "Passw0rd!"}},
                             token=False).get_json()["token"]
    response = start(weavr)
    assert response.status_code == 409 and error_code(response) == "EMAIL_UNVERIFIED"
    assert status(weavr) == NOT_STARTED


def test_upgrade_from_level_1_to_level_2(weavr):
    weavr.onboard()
    assert start(weavr, "KYC_LEVEL_1").get_json()["kycLevel"] == "KYC_LEVEL_1"
    weavr.approve_kyc()
    assert status(weavr)["kycLevel"] == "KYC_LEVEL_1"
    assert error_code(start(weavr, "KYC_LEVEL_1")) == "KYC_ALREADY_APPROVED"
    assert start(weavr, "KYC_LEVEL_2").status_code == 200
    assert status(weavr) == {"fullDueDiligence": "APPROVED", "kycLevel": "KYC_LEVEL_1",
                             "ongoingFullDueDiligence": "INITIATED", "ongoingKycLevel": "KYC_LEVEL_2"}
    weavr.approve_kyc()
    assert status(weavr) == {"fullDueDiligence": "APPROVED", "kycLevel": "KYC_LEVEL_2",
                             "ongoingFullDueDiligence": "APPROVED", "ongoingKycLevel": "KYC_LEVEL_2"}


def test_sandbox_control_reviews_and_rejects(weavr):
    weavr.onboard()
    start(weavr)
    review = weavr.control(f"/consumers/{weavr.id}/kyc", {"status": "PENDING_REVIEW"})
    assert review.status_code == 200 and review.get_json()["ongoingFullDueDiligence"] == "PENDING_REVIEW"
    assert error_code(start(weavr)) == "KYC_PENDING_REVIEW"
    assert weavr.control(f"/consumers/{weavr.id}/kyc", {"status": "REJECTED"}).status_code == 200
    assert status(weavr)["fullDueDiligence"] == "REJECTED"
    assert error_code(start(weavr)) == "KYC_REJECTED"
    # REJECTED is final, for the control and the simulator alike
    final = weavr.control(f"/consumers/{weavr.id}/kyc", {"status": "APPROVED"})
    assert final.status_code == 409 and error_code(final) == "KYC_MOVE_NOT_ALLOWED"
    assert weavr.simulate(f"/consumers/{weavr.id}/verify").status_code == 409
    assert status(weavr)["fullDueDiligence"] == "REJECTED"


def test_simulator_and_control_only_reach_their_own_consumers(weavr, client):
    weavr.onboard()
    stranger = WeavrClient(client, KEY_2)
    stranger.consumer = weavr.consumer
    response = stranger.simulate(f"/consumers/{weavr.id}/verify")
    assert response.status_code == 404 and response.get_json()["code"] == "CONSUMER_NOT_FOUND"
    assert stranger.control(f"/consumers/{weavr.id}/kyc", {"status": "APPROVED"}).status_code == 404
    assert status(weavr) == NOT_STARTED
    bad_key = client.post(f"/weavr/simulate/api/consumers/{weavr.id}/verify", headers={"programme-key": "nope"})
    assert bad_key.status_code == 401 and bad_key.get_json()["code"] == "UNAUTHORIZED"


def session(consumer: WeavrClient) -> WeavrClient:
    """A token without logging in: the password-create token (the email may be unverified)."""
    consumer.token = consumer.post(f"/passwords/{consumer.id}/create", {"password": {"value": "Passw0rd!"}},
                                   token=False).get_json()["token"]
    return consumer


def test_control_approval_moves_kyc_only_and_the_simulator_verifies_contacts(client):
    controlled = session(WeavrClient(client).create())
    approved = controlled.control(f"/consumers/{controlled.id}/kyc", {"status": "APPROVED"})
    assert approved.status_code == 200 and approved.get_json()["fullDueDiligence"] == "APPROVED"
    simulated = session(WeavrClient(client).create())
    assert simulated.simulate(f"/consumers/{simulated.id}/verify").status_code == 204  # no KYC start needed [QA]
    for consumer, verified in ((controlled, False), (simulated, True)):
        root = consumer.get("/consumers").get_json()["rootUser"]
        assert (root["emailVerified"], root["mobileNumberVerified"]) == (verified, verified)
        assert status(consumer)["fullDueDiligence"] == "APPROVED"


def test_kyc_start_body_is_validated(weavr):
    from tests.weavr.client import invalid_fields

    weavr.onboard()
    assert invalid_fields(start(weavr, "KYC_LEVEL_3")) == [("kycLevel", "IN", ["KYC_LEVEL_1", "KYC_LEVEL_2"])]
    response = weavr.post("/consumers/kyc", {"prefillDetails": [1, {"name": 5}]})
    assert invalid_fields(response) == [("prefillDetails", "REGEX", []), ("name", "REGEX", [])]
    assert status(weavr) == NOT_STARTED
