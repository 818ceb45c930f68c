"""The customer paths as the docs' OpenAPI blocks write them, without
/api/v1 (`POST /counterparty/{counterparty_guid}/customers`): served as
aliases of the /api/v1 paths, with every guard, and marked inferred."""

from __future__ import annotations

from tests.harness import stored_records
from tests.prozora.client import IBANS, NOWHERE, TOKEN_B, UAH_A, A, B, ProzoraClient, error_of

SHORT = f"/prozora/counterparty/{A}/customers"
METHODS = ("get", "post", "put", "patch", "delete")


def test_every_customer_operation_answers_at_the_short_path(client, prozora):
    headers = prozora.headers()
    created = client.post(SHORT, json={"asset_code": "UAH", "asset_issuer": UAH_A, "login": "short@example.com",
                                       "iban": IBANS[0]}, headers=headers)
    assert created.status_code == 200, created.get_json()
    guid = created.get_json()["customer_guid"]
    assert client.get(SHORT, headers=headers).get_json() == prozora.listed()
    assert prozora.customer(guid)["login"] == "short@example.com"

    updated = client.put(f"{SHORT}/{guid}", json={"status": "verified", "kyc_level": 2}, headers=headers)
    assert (updated.status_code, updated.get_json()) == (200, {})
    assert (prozora.customer(guid)["status"], prozora.customer(guid)["kyc_level"]) == ("verified", 2)

    added = client.post(f"{SHORT}/{guid}/accounts", json={"iban": IBANS[1]}, headers=headers)
    assert added.status_code == 200, added.get_json()
    accounts = client.get(f"{SHORT}/{guid}/accounts", headers=headers).get_json()
    assert accounts == prozora.accounts(guid).get_json()
    assert [a["iban"] for a in accounts["accounts"]] == [IBANS[0], IBANS[1]]


def test_the_short_paths_keep_every_guard(client, prozora, sandbox):
    theirs = ProzoraClient(client, TOKEN_B, B).created(login="theirs@example.com")["customer_guid"]
    before = stored_records(sandbox)
    body = {"asset_code": "UAH", "asset_issuer": UAH_A}
    # no credentials; another counterparty's employee on A's path; a path GUID that is none
    for response, answer in (
            (client.post(SHORT, json=body), (401, "Access credentials are invalid")),
            (client.post(SHORT, json=body, headers={"Authorization": f"bearer {TOKEN_B}"}),
             (403, "permission denied")),
            (client.get(SHORT, headers={"Authorization": f"bearer {TOKEN_B}"}), (403, "permission denied")),
            (client.post("/prozora/counterparty/nope/customers", json=body, headers=prozora.headers()),
             (400, "counterparty_guid: invalid UUID format"))):
        assert (response.status_code, error_of(response)) == answer
    # B's customer is nowhere on A's short paths
    for response in (client.put(f"{SHORT}/{theirs}", json={"name": "x"}, headers=prozora.headers()),
                     client.post(f"{SHORT}/{theirs}/accounts", json={}, headers=prozora.headers()),
                     client.get(f"{SHORT}/{theirs}/accounts", headers=prozora.headers()),
                     client.put(f"{SHORT}/{NOWHERE}", json={"name": "x"}, headers=prozora.headers())):
        assert (response.status_code, error_of(response)) == (404, "customer_guid: customer not found")
    assert client.get(SHORT, query_string={"wallet_user_guids": theirs}, headers=prozora.headers()).get_json() == {
        "customers": [], "total": 0}
    # and its bad input is refused alike
    response = client.post(SHORT, json={**body, "name": "a\x00"}, headers=prozora.headers())
    assert (response.status_code, error_of(response)) == (400, "name: control characters are not allowed")
    assert stored_records(sandbox) == before


def test_the_document_marks_the_short_paths_inferred(client):
    document = client.get("/prozora/openapi.json").get_json()
    operations = [(p, method) for p, item in document["paths"].items() if p.startswith("/api/v1/")
                  for method in item if method in METHODS]
    assert len(operations) == 5
    for long_path, method in operations:
        operation = document["paths"][long_path][method]
        alias = document["paths"][long_path.removeprefix("/api/v1")][method]
        assert alias["x-provenance"] == "inferred" != operation["x-provenance"]
        assert alias["description"].startswith("Same as `/api/v1/counterparty/"), long_path
        assert alias["responses"] == operation["responses"]
