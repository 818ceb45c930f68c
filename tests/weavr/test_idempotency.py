"""idempotency-ref: the same reference, operation, payload and api-key within
24 h of sandbox time answers the first success again, with no second effect;
the same reference with another payload is a 400, a reference of 8,000
characters a 413, as Weavr's own sandbox answered its QA suite."""

from __future__ import annotations

import threading

from tests.weavr.client import KEY, WeavrClient, consumer_body, error_code, invalid_fields

REF = {"idempotency-ref": "ref-0001"}


def create(weavr, body, **headers):
    return weavr.post("/consumers", body, token=False, **headers)


def test_sequential_replay_creates_one_consumer(weavr, count):
    body = consumer_body()
    first = create(weavr, body, **REF)
    second = create(weavr, body, **REF)
    assert first.status_code == second.status_code == 200
    assert second.get_json() == first.get_json()  # same id, same creationTimestamp
    assert count("consumers") == 1
    # without the reference it is a new request: the email is taken
    assert error_code(create(weavr, body)) == "ROOT_EMAIL_NOT_UNIQUE"


def test_the_same_reference_with_another_payload_is_refused(weavr, count):
    assert create(weavr, consumer_body(), **REF).status_code == 200
    other = create(weavr, consumer_body(), **REF)
    assert invalid_fields(other) == [("idempotency-ref", "NOT_IN", [])]
    assert count("consumers") == 1  # not a second consumer
    # the reference of another operation is its own
    weavr.onboard()
    account = weavr.open_account("EUR", balance=1000)
    fee = {"feeType": "PRINTED_CARD_ACCOUNT_STATEMENT", "source": {"type": "managed_accounts", "id": account["id"]}}
    first = weavr.post("/consumers/fees/charge", fee, **REF)
    assert first.status_code == 200
    assert weavr.post("/consumers/fees/charge", fee, **REF).get_json() == first.get_json()
    another = weavr.post("/consumers/fees/charge", {**fee, "feeType": "ACCOUNT_MAINTENANCE"}, **REF)
    assert invalid_fields(another) == [("idempotency-ref", "NOT_IN", [])]
    assert weavr.balance(account["id"]) == 1000 - 150  # charged once
    assert count("fee_charges") == 1


def test_a_reference_too_long_is_413(weavr, count):
    too_long = create(weavr, consumer_body(), **{"idempotency-ref": "r" * 8000})
    assert too_long.status_code == 413 and too_long.get_json()["code"] == "IDEMPOTENCY_REF_TOO_LONG"
    assert too_long.headers["request-ref"]
    assert create(weavr, consumer_body(), **{"idempotency-ref": "r" * 4096}).status_code == 200
    assert count("consumers") == 1


def test_the_reference_lasts_24_hours_of_sandbox_time(weavr, sandbox, count):
    body = consumer_body()
    create(weavr, body, **REF)
    sandbox.clock.advance(24 * 3600 - 5)
    assert create(weavr, body, **REF).status_code == 200
    sandbox.clock.advance(10)
    expired = create(weavr, body, **REF)
    assert expired.status_code == 409 and error_code(expired) == "ROOT_EMAIL_NOT_UNIQUE"  # run again, for real
    assert count("consumers") == 1


def test_a_refused_request_is_not_remembered(weavr, count):
    body = consumer_body(baseCurrency="JPY")
    assert error_code(create(weavr, body, **REF)) == "CURRENCY_UNSUPPORTED"
    assert create(weavr, {**body, "baseCurrency": "EUR"}, **REF).status_code == 200
    assert count("idempotency") == 1


def test_references_belong_to_their_api_key(client, count):
    from tests.weavr.client import KEY_2

    body = consumer_body()
    assert create(WeavrClient(client, KEY), body, **REF).status_code == 200
    body_2 = consumer_body(KEY_2, rootUser=body["rootUser"])
    assert create(WeavrClient(client, KEY_2), body_2, **REF).status_code == 200
    assert count("consumers") == 2


def test_fee_charge_replay_charges_once(weavr):
    account = weavr.onboard().open_account("EUR", balance=1000)
    body = {"feeType": "PRINTED_CARD_ACCOUNT_STATEMENT", "source": {"type": "managed_accounts", "id": account["id"]}}
    first = weavr.post("/consumers/fees/charge", body, **REF)
    second = weavr.post("/consumers/fees/charge", body, **REF)
    assert first.status_code == second.status_code == 200
    assert second.get_json()["transactionId"] == first.get_json()["transactionId"]
    assert second.get_json()["creationTimestamp"] == first.get_json()["creationTimestamp"]
    assert weavr.balance(account["id"]) == 850
    assert weavr.post("/consumers/fees/charge", body).status_code == 200  # no reference: charged again
    assert weavr.balance(account["id"]) == 700


def test_concurrent_duplicates_create_one_consumer(app, count):
    for attempt in range(30):  # a race shows in a few of them when the guard is missing
        body = consumer_body()
        headers = {"api-key": KEY, "idempotency-ref": f"race-{attempt}"}
        barrier = threading.Barrier(2)
        answers = []

        def send(barrier=barrier, answers=answers, body=body, headers=headers):
            client = app.test_client()
            barrier.wait()
            answers.append(client.post("/weavr/multi/consumers", json=body, headers=headers))

        threads = [threading.Thread(target=send) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [a.status_code for a in answers] == [200, 200], [a.get_json() for a in answers]
        assert answers[0].get_json() == answers[1].get_json()
        assert count("consumers") == attempt + 1
