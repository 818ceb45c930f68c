"""Ibanera's own sandbox control, under /_sandbox/ibanera: decide a managee's KYC
(the controls every provider has are core's: sandbox/core/controls.py)."""

from __future__ import annotations

from sandbox.core.errors import SANDBOX
from sandbox.providers.ibanera import errors as e
from sandbox.providers.ibanera import examples as x
from sandbox.providers.ibanera import schemas as s
from sandbox.providers.ibanera.api import MANAGER_TOKEN, api
from sandbox.providers.ibanera.replies import Reply
from sandbox.providers.ibanera.routes.managees import MANAGEE_ID, to_managee
from sandbox.providers.ibanera.runtime import IbaneraRuntime
from sandbox.providers.ibanera.services.auth import Manager


@api.route(
    "/managees/<int:managees_id>/verification", method="POST", control=True,
    summary="Sandbox control: accept or reject a Pending managee's KYC", body=s.SetVerificationSchema,
    security=MANAGER_TOKEN, tags=("Sandbox control",), provenance=SANDBOX,
    description="Decides now, whatever the manager's kyc outcome says (manual, the default, waits for this "
                "call), and sends MANAGEE_JUMIO_COMPLETED then MANAGEE_KYC_UPDATED to the manager's webhook "
                "endpoint. Accepted opens the managee's USD account. A decided managee cannot change again "
                "(Rejected is final in Ibanera): asking for its own status again answers it unchanged (no callback), "
                "asking for "
                "the other is Verification_Final (409). managees_id must be a managee of the caller: any other "
                "id is Managee_Not_Found (400, as Ibanera's own calls answer an unknown ManageesId).",
    ok=(s.VerificationResponseSchema, "The managee's verification now"),
    raises=(e.MANAGEE_NOT_FOUND, e.VERIFICATION_FINAL), example=x.SET_VERIFICATION,
    links=to_managee(MANAGEE_ID, verification=False),
)
def set_verification(runtime: IbaneraRuntime, caller: Manager, body: dict, managees_id: int) -> Reply:
    result = runtime.managees.set_verification(caller, managees_id, body["status"], body["rejectReason"])
    return Reply(result, id=managees_id)
