"""Ibanera's OpenAPI document: its paths as documented, and honest about which
error codes the public docs confirm."""

from __future__ import annotations

import json

import pytest

from sandbox.app import create_app
from sandbox.config import Config
from sandbox.providers.ibanera.constants import DEFAULT_SUPPORTED_COUNTRIES
from tests.ibanera.client import IbaneraClient, errors_of
from tests.server import ROOT

# From the reference: the only Ibanera codes its public docs confirm.
DOCUMENTED_IBANERA = {"Required", "Username_Or_Password_Incorrect", "Account_Not_Verified", "Account_Locked",
                      "Account_Suppressed", "Managee_Not_Found"}
# Every code the tests of tests/ibanera make the sandbox answer with.
IBANERA_CODES = DOCUMENTED_IBANERA | {
    "Invalid", "Invalid_Length", "Invalid_Format", "Email_Already_Exists", "Currency_Not_Supported",
    "Nationality_Not_Supported", "Country_Not_Supported", "Invalid_Percentage", "Invalid_Total_Percentage",
    "Duplicate_Entries", "Must_Agree_To_Terms", "Widget_Client_Not_Found", "Managee_Not_Verified",
    "Widget_User_Already_Exists", "WidgetUserReference_Already_Used", "Account_Not_Found", "Unauthorised",
    "Verification_Final", "Invalid_Json", "Not_Found", "Method_Not_Allowed", "Request_Too_Large",
    "Unsupported_Media_Type", "Unexpected_Error", "Too_Many_Requests", "Service_Unavailable",
}


@pytest.fixture
def served(client):
    response = client.get("/ibanera/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def operation_error_codes(document) -> list[dict]:
    return [entry for path in document["paths"].values() for op in path.values() if isinstance(op, dict)
            for response in op.get("responses", {}).values() for entry in response.get("x-error-codes", [])]


def test_documented_paths_are_served_as_documented(served):
    assert {"/api/v1/public/auth/login", "/api/v4/customer/managees/create", "/api/v5/customer/managees/create",
            "/api/v1/customer/managees/list", "/api/v1/customer/manageeaccounts/list",
            "/api/v1/customer/managees/createwidgetuser", "/api/v1/customer/simulations/payins"} <= set(served["paths"])
    v5 = served["paths"]["/api/v5/customer/managees/create"]["post"]
    assert v5["x-provenance"] == "inferred"  # seen in client code, not in the docs
    control = served["paths"]["/managees/{managees_id}/verification"]["post"]
    assert control["servers"] == [{"url": "/_sandbox/ibanera"}] and control["x-provenance"] == "sandbox"


def test_every_error_code_is_in_the_document_with_its_provenance(served):
    catalogue = served["x-error-codes"]
    assert {e["messageCode"] for e in catalogue} == IBANERA_CODES
    assert all(isinstance(e["status"], int) and e["when"] for e in catalogue)
    entries = catalogue + operation_error_codes(served)
    assert all(e["x-provenance"] in ("documented", "inferred", "sandbox") for e in entries)
    documented = {e["messageCode"] for e in entries if e["x-provenance"] == "documented"}
    assert documented == DOCUMENTED_IBANERA
    assert all(e.get("x-source", "").startswith("https://customer-api-docs.ibanera.com")
               for e in entries if e["x-provenance"] == "documented")


def test_each_operation_lists_the_codes_it_answers(served):
    create = served["paths"]["/api/v4/customer/managees/create"]["post"]["responses"]
    assert {e["messageCode"] for e in create["400"]["x-error-codes"]} >= {
        "Required", "Invalid_Length", "Invalid_Format", "Email_Already_Exists", "Must_Agree_To_Terms"}
    assert {e["fieldName"] for e in create["401"]["x-error-codes"]} == {"Authorization", "Otp"}
    widget = served["paths"]["/api/v1/customer/managees/createwidgetuser"]["post"]["responses"]["400"]
    assert {"Widget_Client_Not_Found", "Managee_Not_Found", "Managee_Not_Verified", "Widget_User_Already_Exists",
            "WidgetUserReference_Already_Used"} <= {e["messageCode"] for e in widget["x-error-codes"]}


def test_request_schema_carries_documented_limits(served):
    create = served["components"]["schemas"]["CreateManagee"]
    assert create["properties"]["stateProvince"]["maxLength"] == 1000
    assert create["properties"]["proofOfAddressType"]["enum"][-1] == "UtilityBill"
    assert create["properties"]["sourceFundsTypes"]["x-provenance"] == "inferred"
    assert "addressLine2" not in create["required"] and "emailAddress" in create["required"]


SCENARIO_COUNTRIES = """
name: two-countries
ibanera:
  supported_countries: [gbr, IRL, ZAF]
  managers:
    - username: ops@example.com
      password: pw
      totp_secret: 3S3QY26KJEEBY4FPBER5NCOMBZQMT3N4
"""


def country_enums(document) -> list[list[str]]:
    properties = document["components"]["schemas"]["CreateManagee"]["properties"]
    return [properties[name]["enum"] for name in ("nationalityISO", "addressCountryISO")]


def test_served_document_lists_the_loaded_scenarios_countries_and_the_export_the_defaults(tmp_path, served):
    path = tmp_path / "scenario.yaml"
    path.write_text(SCENARIO_COUNTRIES)
    client = create_app(Config(scenario=str(path))).test_client()
    document = client.get("/ibanera/openapi.json").get_json()
    assert country_enums(document) == [["GBR", "IRL", "ZAF"]] * 2
    example = document["paths"]["/api/v4/customer/managees/create"]["post"]["requestBody"]["content"][
        "application/json"]["example"]
    assert (example["nationalityISO"], example["addressCountryISO"]) == ("GBR", "GBR")  # USA is not supported here
    # what the document says is what that server does
    ops = IbaneraClient(client, "ops@example.com", password="pw").login()
    assert ops.create_managee(nationalityISO="ZAF", addressCountryISO="irl").status_code == 200
    refused = ops.create_managee(emailAddress="usa@example.com", nationalityISO="USA", addressCountryISO="USA")
    assert sorted(errors_of(refused)) == [("AddressCountryISO", "Country_Not_Supported"),
                                          ("NationalityISO", "Nationality_Not_Supported")]
    # the default scenario's server, and the exported file, list the default countries
    exported = json.loads((ROOT / "openapi" / "ibanera.json").read_text())
    assert country_enums(served) == country_enums(exported) == [list(DEFAULT_SUPPORTED_COUNTRIES)] * 2


@pytest.mark.parametrize("name", ["manageesReference", "fiatCurrencyCode", "nationalityISO", "addressCountryISO",
                                  "employedCompanyName", "employedJobTitle"])
def test_the_create_calls_inferred_rules_say_so(served, name):
    """What the docs leave open and the sandbox chose (constants.py): a reference may be reused, any letter case
    of a code, which countries, when an employer is required."""
    field = served["components"]["schemas"]["CreateManagee"]["properties"][name]
    assert field["x-provenance"] == "inferred" and "inferred" in field["description"].lower(), field
