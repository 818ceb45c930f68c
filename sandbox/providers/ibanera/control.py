"""Not part of Ibanera's API: the sandbox's control of what Ibanera's
compliance team decides. Lives under /_sandbox/ibanera, answers in Ibanera's
envelope and needs only the manager's bearer token (no otp)."""

from __future__ import annotations

from flask import Blueprint, request

from sandbox.core.http import json_object_body
from sandbox.core.openapi import SANDBOX
from sandbox.providers.ibanera import errors as e
from sandbox.providers.ibanera import schemas as s
from sandbox.providers.ibanera.routes import api, ok
from sandbox.providers.ibanera.runtime import current

control = Blueprint("ibanera_control", __name__)
CONTROL_PREFIX = "/_sandbox/ibanera"


@api.route(
    control, "/managees/<int:managees_id>/verification", method="POST", server=CONTROL_PREFIX,
    summary="Sandbox control: accept or reject a Pending managee's KYC", body=s.SetVerificationSchema,
    security=[{"bearerAuth": []}], tags=("Sandbox control",), provenance=SANDBOX,
    description="Accepted opens the managee's USD account. A decided managee cannot change again "
                "(Rejected is final in Ibanera). Only the managee's own manager can do this.",
    responses={200: {"description": "The managee's verification now",
                     "content": {"application/json": {"schema": s.VerificationResponseSchema}}},
               **e.responses(e.REQUIRED, e.INVALID, e.MANAGEE_NOT_FOUND, e.VERIFICATION_FINAL, e.TOKEN_UNAUTHORISED,
                             authenticated=False)},
)
def set_verification(managees_id: int):
    who = current().auth.authenticate(request.headers.get("Authorization"), None, require_otp=False)
    data = s.load(s.SetVerificationSchema(), json_object_body(request))
    result = current().managees.set_verification(who, managees_id, data["status"], data["rejectReason"])
    return ok(s.VerificationResponseSchema, result, id=managees_id)

