"""Ibanera's valid calls, for the provider-neutral tests."""

from __future__ import annotations

from sandbox.providers.ibanera import provider
from sandbox.providers.ibanera.examples import ACCEPTED_ACCOUNT_ID, EXAMPLE_MANAGER
from tests.harness import Call, Harness
from tests.ibanera.client import BASE, PASSWORD, IbaneraClient
from tests.ibanera.payloads import managee


class IbaneraHarness(Harness):
    provider = provider

    def calls(self, client):
        ibanera = IbaneraClient(client, "manager@example.com").login()
        managees_id, account_id = ibanera.accepted_managee(emailAddress="harness@example.com")
        pending = ibanera.new_managee(emailAddress="pending@example.com")
        private = ibanera.headers()
        paging = {"PageNumber": 1, "PageSize": 10}
        create = Call("post", f"{BASE}/api/v4/customer/managees/create", managee(emailAddress="new@example.com"),
                      headers=private)
        listing = Call("get", f"{BASE}/api/v1/customer/managees/list", query=paging, headers=private)
        return {
            ("post", "/api/v1/public/auth/login"): Call(
                "post", f"{BASE}/api/v1/public/auth/login",
                {"username": "manager@example.com", "password": PASSWORD, "otp": "123456"}),
            ("post", "/api/v4/customer/managees/create"): create,
            ("post", "/api/v5/customer/managees/create"): Call(
                "post", f"{BASE}/api/v5/customer/managees/create", managee(emailAddress="v5@example.com"),
                headers=private),
            ("get", "/api/v1/customer/managees/list"): listing,
            ("get", "/api/v2/customer/managees/list"): Call("get", f"{BASE}/api/v2/customer/managees/list",
                                                            query=paging, headers=private),
            ("get", "/api/v1/customer/manageeaccounts/list"): Call(
                "get", f"{BASE}/api/v1/customer/manageeaccounts/list",
                query={"ManageesId": managees_id, "Asset": "USD", **paging}, headers=private),
            ("post", "/api/v1/customer/managees/createwidgetuser"): Call(
                "post", f"{BASE}/api/v1/customer/managees/createwidgetuser",
                {"manageesId": managees_id, "widgetUserReference": "harness-widget"}, headers=private),
            ("post", "/api/v1/customer/simulations/payins"): Call(
                "post", f"{BASE}/api/v1/customer/simulations/payins",
                {"DestinationAccountId": account_id, "TransferType": "ACH", "Amount": 1}, headers=private),
            ("post", "/managees/{managees_id}/verification"): Call(
                "post", f"/_sandbox/ibanera/managees/{pending}/verification", {"status": "Accepted"},
                headers={"Authorization": private["Authorization"]}),
            # last: it puts this manager's records back to the scenario
            ("post", "/reset"): Call(
                "post", "/_sandbox/ibanera/reset", headers={"Authorization": private["Authorization"]}),
        }

    def event_call(self, client):
        """A simulated deposit into the example manager's seeded account: FIAT_DEPOSIT_RECEIVED."""
        return Call("post", f"{BASE}/api/v1/customer/simulations/payins",
                    {"DestinationAccountId": ACCEPTED_ACCOUNT_ID, "TransferType": "WIRE", "Amount": 5},
                    headers=IbaneraClient(client, EXAMPLE_MANAGER).login().headers())

    def credentials(self, client, method, path):
        """The document's examples are the example manager's (its seeded managees' ids), who logs in."""
        headers = IbaneraClient(client, EXAMPLE_MANAGER).login().headers()
        control = not path.startswith("/api/")  # the sandbox controls want the bearer token only
        return {"Authorization": headers["Authorization"]} if control else headers
