"""Weavr's own sandbox controls, under /_sandbox/weavr: decide a consumer's
KYC, open a managed account and read it, read a fee charge and complete a
held one (the controls every provider has are core's: sandbox/core/controls.py,
its webhooks and outcomes among them)."""

from __future__ import annotations

from sandbox.core.errors import SANDBOX
from sandbox.providers.weavr import errors as e
from sandbox.providers.weavr import examples as x
from sandbox.providers.weavr import replies as r
from sandbox.providers.weavr import schemas as s
from sandbox.providers.weavr.api import API_KEY, api
from sandbox.providers.weavr.runtime import WeavrRuntime
from sandbox.providers.weavr.services.auth import Caller

TAGS = ("Sandbox control",)
_NEW_ACCOUNT = "$response.body#/id"
ACCOUNT_LINKS = {
    "GetAccount": {"operationId": "get_managed_account", "parameters": {"account_id": _NEW_ACCOUNT}},
    "DepositById": {"operationId": "accounts_account_id_deposit", "parameters": {"account_id": _NEW_ACCOUNT},
                    "requestBody": {"depositAmount": {"currency": "$response.body#/currency", "amount": 1000}}},
    "DepositByIban": {"operationId": "accounts_deposit", "requestBody": {
        "depositAmount": {"currency": "$response.body#/currency", "amount": 1000},
        "destinationIbanDetails": {"iban": "$response.body#/iban"}}},
}


@api.route("/consumers/<int:consumer_id>/kyc", method="POST", control=True, provenance=SANDBOX,
           summary="Sandbox control: move a consumer's KYC to PENDING_REVIEW, APPROVED or REJECTED",
           body=s.KycDecisionSchema, security=API_KEY, tags=TAGS, ok=(r.KycOut, "The consumer's KYC now"),
           description="Weavr's simulator can only approve; this also reviews and rejects. consumer_id is a consumer "
                       "of this api-key (404 otherwise). Moves: INITIATED to PENDING_REVIEW, APPROVED or REJECTED; "
                       "PENDING_REVIEW to APPROVED or REJECTED; NOT_STARTED only to APPROVED; REJECTED is final "
                       "(409 KYC_MOVE_NOT_ALLOWED otherwise). Each move sends /consumers/kyc/watch (a REJECTED one "
                       "with `details` and `rejectionComment`); the first approval also "
                       "/consumers/consumer_activated/watch (when Weavr activates is inferred).",
           raises=(e.CONSUMER_NOT_FOUND, e.KYC_MOVE_NOT_ALLOWED), example=x.SET_KYC)
def set_kyc(runtime: WeavrRuntime, caller: Caller, body: dict, consumer_id: int) -> dict:
    return runtime.consumers.decide_kyc(caller, consumer_id, body["status"], details=body.get("details"),
                                        comment=body.get("rejectionComment"))


@api.route("/consumers/<int:consumer_id>/managed_accounts", method="POST", control=True, provenance=SANDBOX,
           summary="Sandbox control: open a managed account for a consumer", body=s.ManagedAccountCreateSchema,
           security=API_KEY, tags=TAGS, ok=(r.ManagedAccountOut, "The account, with its IBAN"),
           description="consumer_id is a consumer of this api-key (404 otherwise); `currency` one of the "
                       "scenario's currencies (409 otherwise). Fund it with the simulator's deposits; charge fees "
                       "from it.",
           raises=(e.CONSUMER_NOT_FOUND, e.CURRENCY_UNSUPPORTED), example=x.OPEN_ACCOUNT, links=ACCOUNT_LINKS)
def open_managed_account(runtime: WeavrRuntime, caller: Caller, body: dict, consumer_id: int) -> dict:
    return runtime.money.open_account(caller, consumer_id, body["currency"], body.get("balance", 0))


@api.route("/managed_accounts/<int:account_id>", method="GET", control=True, provenance=SANDBOX,
           summary="Sandbox control: read a managed account and its balance", security=API_KEY, tags=TAGS,
           ok=(r.ManagedAccountOut, "The account"), raises=(e.ACCOUNT_NOT_FOUND,),
           example=x.GET_ACCOUNT)
def get_managed_account(runtime: WeavrRuntime, caller: Caller, account_id: int) -> dict:
    return runtime.money.get_account(caller, account_id)


@api.route("/fee_charges/<int:charge_id>", method="GET", control=True, provenance=SANDBOX,
           summary="Sandbox control: read a fee charge and its state", security=API_KEY, tags=TAGS,
           ok=(r.ChargeFeeOut, "The charge"), raises=(e.FEE_CHARGE_NOT_FOUND,), example=x.GET_FEE_CHARGE,
           description="charge_id is the `transactionId.id` of a charge of this api-key (404 otherwise); its state "
                       "is INITIALISED while the api-key's `fee` outcome holds it, then COMPLETED.")
def get_fee_charge(runtime: WeavrRuntime, caller: Caller, charge_id: int) -> dict:
    return runtime.money.fee_charge(caller, charge_id)


@api.route("/fee_charges/<int:charge_id>/complete", method="POST", control=True, provenance=SANDBOX,
           summary="Sandbox control: complete a held fee charge", security=API_KEY, tags=TAGS,
           ok=(r.ChargeFeeOut, "The charge, COMPLETED"), raises=(e.FEE_CHARGE_NOT_FOUND, e.FEE_CHARGE_NOT_PENDING),
           example=x.COMPLETE_FEE_CHARGE,
           description="A charge held INITIALISED (the api-key's `fee` outcome set to manual or after) completes now "
                       "and /fees/watch is sent; one completed already is 409 FEE_CHARGE_NOT_PENDING.")
def complete_fee_charge(runtime: WeavrRuntime, caller: Caller, charge_id: int) -> dict:
    return runtime.money.complete_fee(caller, charge_id)
