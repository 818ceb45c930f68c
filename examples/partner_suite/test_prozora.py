"""Prozora: a bank's employee creates and finds customers."""

UAH_ISSUER = "GC2BKLYOOYPDEFJKLKY6FNNRQMGFLVHJKQRGNSSRRGSMPGF32LHCQVGF"


def test_create_then_find_a_customer(prozora_client):
    created = prozora_client.post("/customers", json={
        "asset_code": "UAH", "asset_issuer": UAH_ISSUER, "login": "olena@bank.example", "name": "Olena",
        "surname": "Shevchenko", "kyc_level": 1})
    assert created.status_code == 200, created.text
    found = prozora_client.get("/customers", params={"search_string": "olena"}).json()
    assert found["total"] == 1 and found["customers"][0]["login"] == "olena@bank.example"


def test_each_test_starts_from_the_scenario(prozora_client):
    assert prozora_client.get("/customers").json() == {"customers": [], "total": 0}


def test_another_counterparty_sees_none_of_yours(sandbox, prozora_client):
    created = prozora_client.post("/customers", json={"asset_code": "UAH", "asset_issuer": UAH_ISSUER,
                                                      "login": "taras@bank.example", "name": "Taras", "surname": "B"})
    assert created.status_code == 200, created.text
    other = sandbox.credentials["prozora"][1]["employee_token"]
    with sandbox.prozora.client(other) as bank_b:
        logins = [customer["login"] for customer in bank_b.get("/customers").json()["customers"]]
    assert logins == ["olena.shevchenko@example.com"]  # its own (the scenario's), not taras


def test_your_own_host_is_intercepted(sandbox):
    import httpx

    with sandbox.intercept(hosts={"api.mybank.integrate.example": "prozora"}):
        counterparty = sandbox.credentials["prozora"][0]
        response = httpx.get(f"https://api.mybank.integrate.example/api/v1/counterparty/{counterparty['counterparty']}"
                             "/customers", headers={"Authorization": f"bearer {counterparty['employee_token']}"})
    assert response.json() == {"customers": [], "total": 0}
