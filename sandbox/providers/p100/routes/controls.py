"""P100's own sandbox controls, under /_sandbox/p100 (they exist only in
fintech-sandbox): deposits, KYC decisions, the partner's own balances, and
the sandbox's stand-in for the KYC vendor's page. Each acts only on the
calling API key's own users (the controls every provider has are core's:
sandbox/core/controls.py)."""

from __future__ import annotations

from flask import Response

from sandbox.core.api import PUBLIC
from sandbox.core.errors import SANDBOX
from sandbox.core.openapi import Example
from sandbox.providers.p100 import errors as e
from sandbox.providers.p100 import examples as ex
from sandbox.providers.p100 import schemas as s
from sandbox.providers.p100.api import API_KEY, api
from sandbox.providers.p100.replies import vendor_page
from sandbox.providers.p100.runtime import P100Runtime
from sandbox.providers.p100.services.partners import Partner

CONTROL = ("Sandbox control",)


@api.route(
    "/users/<external_user_id>/crypto-deposits", method="POST", control=True, status=201,
    summary="Deposit crypto to a user (optionally held for travel-rule data)", body=s.CryptoDepositSchema,
    security=API_KEY, tags=CONTROL, provenance=SANDBOX, ok=(s.DepositReply, "The deposit"),
    description="Seen on chain (WAITING_FOR_VERIFICATION), then decided as the API key's `crypto_deposit` "
                "outcome says (at once unless set, so the answer shows the decision): SUCCESSFUL and credited, "
                "UNSUCCESSFUL, or WAITING_FOR_TR_DATA (released by Update Travel Rule). holdForTravelRule holds it, "
                "and below the network's minDeposit it is UNSUCCESSFUL and never credited, whatever is set. Each "
                "status is a /crypto-deposit-webhook event. network, if given, "
                "must be one the currency is served on (P410); the user must not be suspended.",
    raises=(e.INVALID_USER, e.USER_SUSPENDED, e.INVALID_CURRENCY),
    example=Example(path={"external_user_id": ex.USER},
                    body={"currency": "usdc", "amount": "25", "network": "polygon", "holdForTravelRule": False}),
    links={"UpdateTravelRule": {"operationId": "update_travel_rule", "requestBody": {
        "cryptoDepositId": "$response.body#/cryptoDepositId", "name": "Anna Nowak", "walletType": "CUSTODIAL",
        "receiverType": "NATURAL"}}},
)
def deposit_crypto(runtime: P100Runtime, caller: Partner, body: dict, external_user_id: str) -> dict:
    return runtime.money.deposit_crypto(caller, external_user_id, body)


@api.route(
    "/users/<external_user_id>/fiat-deposits", method="POST", control=True, status=201,
    summary="Deposit euros to a verified user's IBAN (SEPA in)", body=s.FiatDepositSchema, security=API_KEY,
    tags=CONTROL, provenance=SANDBOX, ok=(s.MovementReply, "The movement"),
    raises=(e.INVALID_USER, e.USER_SUSPENDED, e.USER_NOT_VERIFIED),
    example=Example(path={"external_user_id": ex.USER},
                    body={"amount": "100.00", "senderIban": ex.IBAN, "senderName": "Jan Kowalski", "title": "top-up"}),
    description="The user must be verified (an IBAN) and not suspended; senderIban must be a valid IBAN.",
)
def deposit_fiat(runtime: P100Runtime, caller: Partner, body: dict, external_user_id: str) -> dict:
    return runtime.money.deposit_fiat(caller, external_user_id, body)


@api.route(
    "/users/<external_user_id>/kyc", method="POST", control=True, summary="Move a user's KYC (and POA) to any status",
    body=s.SetKycSchema, security=API_KEY, tags=CONTROL, provenance=SANDBOX,
    description="The manual decision of what P100's KYC vendor and compliance decide (whatever the `kyc` and `poa` "
                "outcome settings say). Each change is an event: the KYC Verification Status webhook, the POA "
                "Verification Status webhook.",
    ok=(s.KycControlReply, "The KYC status now"), raises=(e.INVALID_USER,),
    example=Example(path={"external_user_id": ex.NEW_USER},
                    body={"verificationStatus": "VERIFIED", "attemptStatus": "SUCCESSFUL"}),
)
def set_kyc(runtime: P100Runtime, caller: Partner, body: dict, external_user_id: str) -> dict:
    return runtime.users.set_kyc(caller, external_user_id, body)


@api.route(
    "/partner/balances", method="GET", control=True, summary="The partner's own balances",
    security=API_KEY, tags=CONTROL, provenance=SANDBOX, ok=(s.PartnerBalancesReply, "Balances"),
    example=Example(),
)
def partner_balances(runtime: P100Runtime, caller: Partner) -> dict:
    return runtime.money.partner_balances(caller)


@api.route(
    "/partner/balances", method="PUT", control=True, summary="Set the partner's own balances",
    body=s.PartnerBalancesSchema, security=API_KEY, tags=CONTROL, provenance=SANDBOX,
    description="Each change is an ADJUSTMENT movement, so the partner's ledger still adds up. Each key is a "
                "currency (P410).",
    ok=(s.PartnerBalancesReply, "Balances now"),
    example=Example(body={"balances": {"eur": "2000.00", "btc": "1"}}),
)
def set_partner_balances(runtime: P100Runtime, caller: Partner, body: dict) -> dict:
    return runtime.money.set_partner_balances(caller, body["balances"])


@api.route(
    "/verification/<verification_id>", method="GET", control=True, security=PUBLIC,
    summary="The sandbox's KYC vendor page (where Redirect to Verification leads)", tags=CONTROL,
    provenance=SANDBOX, media_type="text/html", ok=({"type": "string"}, "An HTML page"),
    raises=(e.VERIFICATION_NOT_FOUND,), example=Example(path={"verification_id": ex.VERIFICATION_ID}),
)
def verification_page(runtime: P100Runtime, verification_id: str) -> Response:
    return vendor_page(runtime.users.any_verification(verification_id, runtime.partners.all()))
