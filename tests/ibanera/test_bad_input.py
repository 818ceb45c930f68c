"""No value of any field breaks an endpoint: each answer is a success or a
4xx in Ibanera's envelope, never a 500, and a refused create stores nothing."""

from __future__ import annotations

import pytest

from tests.ibanera.client import errors_of
from tests.payloads import managee

ODD_VALUES = [None, 0, -1, 1.5, 10**30, -(10**30), 1e308, True, False, "", "x", "9" * 5000, "\u0000\ud7ff\U0001F600",
              [], [None], [1, "a"], {}, {"a": {"b": []}}]
ODD_IDS = [f"{type(v).__name__}-{i}" for i, v in enumerate(ODD_VALUES)]


def answered_in_envelope(response) -> None:
    assert response.status_code != 500, response.get_data(as_text=True)
    if response.status_code >= 400:
        assert response.status_code < 500
        assert errors_of(response), response.get_json()
    else:
        assert response.get_json()["status"] == "1"


@pytest.mark.parametrize("value", ODD_VALUES, ids=ODD_IDS)
def test_any_value_in_any_create_field(ibanera, value):
    stored = 0
    for key in managee():
        response = ibanera.create_managee(**{key: value})
        answered_in_envelope(response)
        stored += response.status_code == 200
        assert len(ibanera.list_managees(PageSize=1000).get_json()["details"]) == stored, key
    assert stored <= 1  # the body's email is taken after one success


@pytest.mark.parametrize("value", ODD_VALUES, ids=ODD_IDS)
def test_any_value_in_other_bodies(ibanera, value):
    managees_id, account_id = ibanera.accepted_managee()
    bodies = {
        "/api/v1/public/auth/login": {"username": "manager@example.com", "password": "sandbox-password", "otp": "123456"},
        "/api/v1/customer/managees/createwidgetuser": {"manageesId": managees_id, "widgetUserReference": "w"},
        "/api/v1/customer/simulations/payins": {"DestinationAccountId": account_id, "TransferType": "ACH", "Amount": 1},
    }
    for path, body in bodies.items():
        for key in body:
            answered_in_envelope(ibanera.post(path, {**body, key: value}))
    response = ibanera.client.post(f"/_sandbox/ibanera/managees/{managees_id}/verification",
                                   json={"status": value}, headers={"Authorization": f"Bearer {ibanera.token}"})
    answered_in_envelope(response)


@pytest.mark.parametrize("value", ["", "-", "0x10", "1e3", "99999999999999999999999", "%00", "\u00e9", "[]", "1,2"])
def test_any_value_in_query_parameters(ibanera, value):
    for path, names in {"/api/v1/customer/managees/list": ("PageNumber", "PageSize"),
                        "/api/v1/customer/manageeaccounts/list": ("ManageesId", "Asset", "PageNumber", "PageSize")
                        }.items():
        for name in names:
            answered_in_envelope(ibanera.get(path, **{name: value}))
