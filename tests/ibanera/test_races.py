"""Requests that race each other: the check that an email is free and the
insert are separate steps, so two creates with one email can both pass the
check; the store's unique index must turn the loser into the same
Email_Already_Exists, never a 500."""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.ibanera.client import errors_of
from tests.ibanera.payloads import managee

RACERS, ROUNDS = 8, 10


@pytest.fixture
def tiny_switch_interval():
    """Make threads switch after almost every bytecode, so racing requests
    really interleave between the check and the insert."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def test_creates_racing_for_one_email_make_one_managee(app, ibanera, tiny_switch_interval):
    start = threading.Barrier(RACERS)

    def create(email):
        client = app.test_client()
        start.wait()
        return client.post("/ibanera/api/v4/customer/managees/create", json=managee(emailAddress=email),
                           headers=ibanera.headers())

    with ThreadPoolExecutor(RACERS) as pool:
        for round_ in range(ROUNDS):
            email = f"race{round_}@example.com"
            responses = list(pool.map(create, [email] * RACERS))
            assert sorted(r.status_code for r in responses) == [200] + [400] * (RACERS - 1), round_
            assert all(errors_of(r) == [("EmailAddress", "Email_Already_Exists")]
                       for r in responses if r.status_code == 400)
    listed = ibanera.list_managees(PageSize=100).get_json()["details"]
    assert len(listed) == ROUNDS
