"""The document's example of each operation: a request the server accepts on
the default scenario (its Prozora section: default.yaml beside this file)
right after a reset, sent by counterparty B's employee (`bearer
prozora-sandbox-token-2`), whose counterparty has the UAH asset, the Odesa
branch and the customer Olena that the ids below name."""

from __future__ import annotations

from sandbox.core.openapi import Example

#: counterparty B, its UAH asset's issuer, its Odesa branch and its customer Olena
EXAMPLE_COUNTERPARTY = "1c9a7b1f-7e3d-4d48-8c8f-6b2e3d4f5a61"
EXAMPLE_ISSUER = "GAAACAQDAQCQMBYIBEFAWDANBYHRAEISCMKBKFQXDAMRUGY4DUPB7JZX"
EXAMPLE_BRANCH = "576e866c-b0fd-45eb-8d5b-282eba04adc4"
EXAMPLE_CUSTOMER = "9d3c2f1a-4b5e-4c6d-8e7f-0a1b2c3d4e5f"
ON_COUNTERPARTY = {"counterparty_guid": EXAMPLE_COUNTERPARTY}
ON_CUSTOMER = {**ON_COUNTERPARTY, "customer_guid": EXAMPLE_CUSTOMER}

#: core's controls (a tenant's reset), by B's employee of the whole counterparty
CONTROLS = Example(path=ON_COUNTERPARTY)

CREATE_CUSTOMER = Example(path=ON_COUNTERPARTY, body={
    "asset_code": "UAH", "asset_issuer": EXAMPLE_ISSUER, "login": "taras.melnyk@example.com", "name": "Taras",
    "surname": "Melnyk", "paternal_name": "Ivanovych", "phone_number": "+380501234567", "kyc_level": 1,
    "segment": "PL", "status": "active", "branch_guid": EXAMPLE_BRANCH, "balance_allowed": 1500.5,
    "iban": "UA213223130000026007233566001"})

LIST_CUSTOMERS = Example(path=ON_COUNTERPARTY, query={"logins": ["olena.shevchenko@example.com"], "limit": 20})

UPDATE_CUSTOMER = Example(path=ON_CUSTOMER, body={"kyc_level": 2, "status": "verified", "branch_guid": EXAMPLE_BRANCH})

CREATE_ACCOUNT = Example(path=ON_CUSTOMER, body={"iban": "DE89370400440532013000"})

LIST_ACCOUNTS = Example(path=ON_CUSTOMER)
