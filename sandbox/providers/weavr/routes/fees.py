"""Fees (Multi API): charge a fee to the logged-in consumer's managed account."""

from __future__ import annotations

from sandbox.providers.weavr import errors as e
from sandbox.providers.weavr import examples as x
from sandbox.providers.weavr import replies as r
from sandbox.providers.weavr import schemas as s
from sandbox.providers.weavr.api import CONSUMER, IDEMPOTENCY, MULTI, api, idempotency_ref
from sandbox.providers.weavr.runtime import WeavrRuntime
from sandbox.providers.weavr.services.auth import ConsumerCaller


@api.route(f"{MULTI}/consumers/fees/charge", method="POST", summary="Charge a fee to the logged-in consumer",
           body=s.FeeSchema, security=CONSUMER, tags=("Fees",), source=e.MULTI_SPEC, headers=IDEMPOTENCY,
           ok=(r.ChargeFeeOut, "Charged: availableBalanceAdjustment is minus the fee, in minor units"),
           description="Fee types and amounts come from the scenario: `feeType` is one of the api-key's fee types, "
                       "`source` a managed account of the logged-in consumer (the sandbox has no managed cards) "
                       "whose currency has an amount for that fee and whose balance covers it (each a 409). The fee "
                       "is debited at once; the charge is COMPLETED in this request [QA] and /fees/watch sent (its "
                       "feeType CUSTOM, this fee type as feeSubType: inferred), "
                       "unless the api-key's `fee` outcome holds it (PUT /_sandbox/weavr/outcomes: after or "
                       "manual): then it is INITIALISED until it completes (GET /_sandbox/weavr/fee_charges/{id}).",
           raises=(e.UNRESOLVED_FEE_TYPE, e.UNRESOLVED_INSTRUMENT, e.IDENTITY_NOT_OWNER_OF_INSTRUMENT,
                   e.FEE_AMOUNT_NOT_SET, e.FUNDS_INSUFFICIENT, e.IDEMPOTENCY_REF_REUSED, e.IDEMPOTENCY_REF_TOO_LONG),
           example=x.CHARGE_FEE,
           links={"GetAccount": {"operationId": "get_managed_account",
                                 "parameters": {"account_id": "$response.body#/source/id"}}})
def consumerChargeFee(runtime: WeavrRuntime, caller: ConsumerCaller, body: dict) -> dict:
    return runtime.money.charge_fee(caller, body, idempotency_ref())
