"""The document served at /ibanera/openapi.json: the code's (exported to
openapi/ibanera.json, for the default scenario), with what the loaded
scenario changes: its supported countries, the enum of the create-managee
request's nationalityISO and addressCountryISO."""

from __future__ import annotations

from sandbox.providers.ibanera import constants as k
from sandbox.providers.ibanera.runtime import IbaneraRuntime

COUNTRY_FIELDS = ("nationalityISO", "addressCountryISO")
CREATE_PATHS = ("/api/v4/customer/managees/create", "/api/v5/customer/managees/create")


def supported_countries(runtime: IbaneraRuntime) -> list[str]:
    """The loaded scenario's countries: the default list's order first, then the others sorted."""
    supported = runtime.managees.supported_countries
    default = [c for c in k.DEFAULT_SUPPORTED_COUNTRIES if c in supported]
    return default + sorted(supported - set(default))


def served_document(document: dict, runtime: IbaneraRuntime) -> dict:
    countries = supported_countries(runtime)
    properties = document["components"]["schemas"]["CreateManagee"]["properties"]
    for name in COUNTRY_FIELDS:
        if countries:
            properties[name]["enum"] = countries
        else:  # an empty enum is not valid OpenAPI: say it in words
            properties[name].pop("enum", None)
            properties[name]["description"] += " The loaded scenario supports no country: every value is refused."
    for path in CREATE_PATHS:  # the example stays one this scenario accepts
        example = document["paths"][path]["post"]["requestBody"]["content"]["application/json"].get("example")
        if example and countries:
            for name in COUNTRY_FIELDS:
                if example.get(name) not in countries:
                    example[name] = countries[0]
    return document
