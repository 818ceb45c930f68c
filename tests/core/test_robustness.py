"""No value of any field breaks any endpoint of any provider: each answer
is a success or a 4xx in the provider's own envelope, never a 500, and a
refused request stores nothing."""

from __future__ import annotations

import pytest

from tests.harness import stored_records

ODD_VALUES = [None, 0, -1, 1.5, 10**30, -(10**30), 1e308, True, False, "", "x", "9" * 5000, "\u0000\ud7ff\U0001F600",
              [], [None], [1, "a"], {}, {"a": {"b": []}}]
ODD_IDS = [f"{type(v).__name__}-{i}" for i, v in enumerate(ODD_VALUES)]
ODD_QUERY_VALUES = ["", "-", "0x10", "1e3", "99999999999999999999999", "%00", "\u00e9", "[]", "1,2"]


def answered_in_envelope(response, harness) -> None:
    assert response.status_code != 500, response.get_data(as_text=True)
    if response.status_code >= 400:
        assert response.status_code < 500
        assert harness.provider.errors.catalogue.envelope.codes_in(response.get_json()), response.get_json()


@pytest.mark.parametrize("value", ODD_VALUES, ids=ODD_IDS)
def test_any_value_in_any_body_field(client, harness, sandbox, value):
    for key, call in harness.every_call(client).items():
        for name in call.body or {}:
            before = stored_records(sandbox)
            response = call.send(client, body={**call.body, name: value})
            answered_in_envelope(response, harness)
            if response.status_code >= 400:
                assert stored_records(sandbox) == before, (key, name)


@pytest.mark.parametrize("value", ODD_QUERY_VALUES)
def test_any_value_in_any_query_parameter(client, harness, value):
    for call in harness.every_call(client).values():
        for name in call.query or {}:
            answered_in_envelope(call.send(client, query={**call.query, name: value}), harness)
