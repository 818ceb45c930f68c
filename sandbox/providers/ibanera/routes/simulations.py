"""The sandbox module of the real API: simulated payins."""

from __future__ import annotations

from sandbox.providers.ibanera import errors as e
from sandbox.providers.ibanera import examples as x
from sandbox.providers.ibanera import schemas as s
from sandbox.providers.ibanera.api import MANAGER, api
from sandbox.providers.ibanera.replies import NO_DETAILS
from sandbox.providers.ibanera.runtime import IbaneraRuntime
from sandbox.providers.ibanera.services.auth import Manager


@api.route(
    "/api/v1/customer/simulations/payins", method="POST",
    summary="Simulate a deposit into a managee's account (sandbox module of the real API)",
    body=s.SimulatePayinSchema, security=MANAGER, tags=("Simulations",),
    source="https://customer-api-docs.ibanera.com/api-endpoints/simulated-testing",
    description="The sandbox credits available and total balance at once and sends FIAT_DEPOSIT_RECEIVED (its "
                "Data as documented; the sender's details, a simulated sender, and an Imad only for a WIRE: "
                "inferred). DestinationAccountId must be the id of an account of one of the caller's managees (an "
                "Accepted managee has one USD account).",
    ok=(s.SuccessNoDetailsSchema, "Credited"), raises=(e.ACCOUNT_NOT_FOUND,), example=x.SIMULATE_PAYIN,
)
def simulate_payin(runtime: IbaneraRuntime, caller: Manager, body: dict) -> object:
    runtime.managees.simulate_payin(caller, body["DestinationAccountId"], body["Amount"], body["TransferType"],
                                    body["Reference"])
    return NO_DETAILS
