"""Weavr's simulator (/simulate/api): verify a consumer, deposit into a
managed account by its id or by its bank details."""

from __future__ import annotations

from sandbox.providers.weavr import errors as e
from sandbox.providers.weavr import examples as x
from sandbox.providers.weavr import replies as r
from sandbox.providers.weavr import schemas as s
from sandbox.providers.weavr.api import PROGRAMME, SIMULATOR, api
from sandbox.providers.weavr.runtime import WeavrRuntime
from sandbox.providers.weavr.services.auth import Caller

TAGS = ("Simulator",)
#: what both deposits answer, said once
DEPOSIT_RULES = ("Business refusals are a 200 with a DENIED_* code [spec]: an account of another programme-key "
                 "or none (DENIED_ACCOUNT_NOT_FOUND), an amount that is not positive, a currency that is not the "
                 "account's, a negative txId, a balance that would pass the int64 maximum (DENIED_OTHER).")


@api.route(f"{SIMULATOR}/consumers/<int:consumer_id>/verify", method="POST", status=204,
           summary="Simulate the full verification of a consumer", security=PROGRAMME, tags=TAGS,
           source=e.SIMULATOR_SPEC, ok=(None, "Verified: email and mobile verified, KYC APPROVED"),
           raises=(e.SIM_FIELD["RANGE"], e.CONSUMER_NOT_FOUND, e.KYC_MOVE_NOT_ALLOWED), example=x.SIMULATE_VERIFY,
           description="consumer_id is a consumer of this programme-key (404 otherwise; past the int64 maximum a "
                       "400 RANGE), with or without a KYC started; verifying an approved consumer again changes "
                       "nothing. An approval sends /consumers/kyc/watch, and the first one "
                       "/consumers/consumer_activated/watch (when Weavr activates is inferred).")
def consumers_consumer_id_verify(runtime: WeavrRuntime, caller: Caller, consumer_id: int) -> None:
    runtime.consumers.simulate_verify(caller, consumer_id)


@api.route(f"{SIMULATOR}/accounts/<int:account_id>/deposit", method="POST",
           summary="Simulate an incoming wire transfer to a managed account by id", body=s.DepositByAccountIdSchema,
           security=PROGRAMME, tags=TAGS, source=e.SIMULATOR_SPEC,
           ok=(r.DepositOut, "COMPLETED, or why the deposit was denied"), example=x.DEPOSIT_BY_ID,
           raises=(e.SIM_FIELD["RANGE"],),
           description="account_id past the int64 maximum is a 400 RANGE. " + DEPOSIT_RULES)
def accounts_account_id_deposit(runtime: WeavrRuntime, caller: Caller, body: dict, account_id: int) -> dict:
    return runtime.money.deposit_by_id(caller, account_id, body["depositAmount"], body.get("txId"))


@api.route(f"{SIMULATOR}/accounts/deposit", method="POST",
           summary="Simulate an incoming wire transfer to a managed account by its bank details",
           body=s.DepositSchema, security=PROGRAMME, tags=TAGS, source=e.SIMULATOR_SPEC,
           ok=(r.DepositOut, "COMPLETED, or why the deposit was denied"), example=x.DEPOSIT,
           description="The account is found by `destinationIbanDetails.iban`, else by "
                       "`destinationFasterPaymentsDetails` (sort code and account number), else by `iban`. "
                       + DEPOSIT_RULES)
def accounts_deposit(runtime: WeavrRuntime, caller: Caller, body: dict) -> dict:
    return runtime.money.deposit_by_details(caller, body)
