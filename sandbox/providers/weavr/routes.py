"""Weavr: one declaration per endpoint. The Multi API is under /weavr/multi
(Weavr's https://sandbox.weavr.io/multi), the simulator under
/weavr/simulate/api; the sandbox's own controls under /_sandbox/weavr."""

from __future__ import annotations

from flask import request

from sandbox.core.api import Api, Security
from sandbox.core.controls import TenantControls
from sandbox.core.errors import SANDBOX, Problem
from sandbox.core.openapi import ApiDocument
from sandbox.providers.weavr import constants as k
from sandbox.providers.weavr import errors as e
from sandbox.providers.weavr import examples as x
from sandbox.providers.weavr import replies as r
from sandbox.providers.weavr import schemas as s
from sandbox.providers.weavr.auth import bearer
from sandbox.providers.weavr.money import account_view

NAME = "weavr"
MULTI, SIMULATOR = "/multi", "/simulate/api"

api = Api(
    name=NAME,
    errors=e.WeavrError,
    reply=r.reply,
    document=ApiDocument(
        title="Weavr Multi API: consumers, and the Weavr simulator (fintech-sandbox)",
        version="v3",
        description=(
            "Weavr's consumer onboarding as fintech-sandbox serves it: the Multi API under `/multi` and the "
            "sandbox simulator under `/simulate/api`, one server. Request fields, patterns and enums are Weavr's "
            "spec's. Errors: 400 `{message, syntaxErrors: {invalidFields: [{params, fieldName, error}]}}` (the "
            "simulator: `{message, validation}`), 401 and the login/access-token 403 with no body, other 403 and "
            "409 `{errorCode}`, transport errors `{code, message}`. Every answer carries `request-ref`. Every "
            "error code lists its provenance: `documented` (x-source), `inferred`, or `sandbox`. The email "
            "verification code is always 123456."
        ),
        server_url=f"/{NAME}",
        security_schemes={
            "api-key": {"type": "apiKey", "in": "header", "name": k.API_KEY_HEADER},
            "auth_token": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "API_Secret_Key": {"type": "apiKey", "in": "header", "name": k.PROGRAMME_KEY_HEADER,
                               "description": "The simulator's key: the api-key's value."},
        },
        extensions={"x-error-codes": e.CODES.entries()},
        path_parameter_schemas={"user_id": {"type": "string", "pattern": k.DIGITS}},  # [spec] UserId
    ),
    response_headers={k.REQUEST_REF_HEADER: {
        "description": "A request identifier [spec]; the sandbox sends it on every answer.", "required": True,
        "schema": {"type": "string"}}},
)
IDEMPOTENCY = ({"name": k.IDEMPOTENCY_HEADER, "required": False, "schema": {"type": "string"},
                "description": "Same reference, operation, payload and api-key within 24 h: the first success is "
                               "answered again, with no second effect."},)

API_KEY = Security([{"api-key": []}], check=lambda rt, req: rt.auth.programme(req.headers),
                   raises=(e.API_KEY_REQUIRED, e.API_KEY_UNAUTHORIZED))
CONSUMER = Security([{"auth_token": [], "api-key": []}], check=lambda rt, req: rt.auth.consumer(req.headers),
                    raises=(e.API_KEY_REQUIRED, e.API_KEY_UNAUTHORIZED, e.TOKEN_UNAUTHORIZED,
                            e.INSUFFICIENT_PERMISSIONS))
ACCESS = Security([{"auth_token": [], "api-key": []}, {"api-key": []}], check=API_KEY.check, raises=API_KEY.raises)
PROGRAMME = Security([{"API_Secret_Key": []}], check=lambda rt, req: rt.auth.simulator(req.headers),
                     raises=(e.PROGRAMME_KEY_UNAUTHORIZED,))
#: core's controls (a tenant's reset): the api-key, which is its tenant
CONTROLS = TenantControls(API_KEY, tenant=lambda caller: caller.tenant)
CONSUMERS, SIGN_IN, SIM, CONTROL = ("Consumers",), ("Sign-in",), ("Simulator",), ("Sandbox control",)

# Links: where an answer's values feed another operation (what schemathesis's stateful phase follows).
# A Consumer's id is an IdentityId object: the links name its `id` (left to itself, schemathesis would
# infer links that pass the whole object).
_NEW_CONSUMER = "$response.body#/id/id"
CONSUMER_LINKS = {
    "CreatePassword": {"operationId": "passwordCreate", "parameters": {"user_id": _NEW_CONSUMER}},
    "SendEmailCode": {"operationId": "consumerRootUserEmailVerificationCodeSend",
                      "requestBody": {"email": "$response.body#/rootUser/email"}},
    "SimulateVerify": {"operationId": "consumers_consumer_id_verify", "parameters": {"consumer_id": _NEW_CONSUMER}},
    "SetKyc": {"operationId": "set_kyc", "parameters": {"consumer_id": _NEW_CONSUMER}},
    "OpenAccount": {"operationId": "open_managed_account", "parameters": {"consumer_id": _NEW_CONSUMER}},
}
ACCOUNT_LINKS = {
    "GetAccount": {"operationId": "get_managed_account", "parameters": {"account_id": "$response.body#/id"}},
    "DepositById": {"operationId": "accounts_account_id_deposit", "parameters": {"account_id": "$response.body#/id"},
                    "requestBody": {"depositAmount": {"currency": "$response.body#/currency", "amount": 1000}}},
    "DepositByIban": {"operationId": "accounts_deposit", "requestBody": {
        "depositAmount": {"currency": "$response.body#/currency", "amount": 1000},
        "destinationIbanDetails": {"iban": "$response.body#/iban"}}},
}


DEPOSIT_RULES = ("Business refusals are a 200 with a DENIED_* code [spec]: an account of another programme-key "
                 "or none (DENIED_ACCOUNT_NOT_FOUND), an amount that is not positive, a currency that is not the "
                 "account's, a negative txId, a balance that would pass the int64 maximum (DENIED_OTHER).")


def idempotency_ref() -> str | None:
    return request.headers.get(k.IDEMPOTENCY_HEADER)


# -- consumers ----------------------------------------------------------------------------
@api.route(f"{MULTI}/consumers", method="POST", summary="Create a consumer", body=s.ConsumerCreateSchema,
           security=API_KEY, tags=CONSUMERS, source=e.MULTI_SPEC, ok=(r.ConsumerOut, "The new consumer"),
           headers=IDEMPOTENCY, example=x.CONSUMER_CREATE, links=CONSUMER_LINKS,
           description="Send `idempotency-ref` to make a retry safe: the same reference and payload within 24 h "
                       "answers the first consumer again. What the schema cannot say (each a 409): `profileId` is "
                       "this api-key's consumer profile; `rootUser.email` is not a consumer of this api-key's yet "
                       "and its domain is not blocked by the scenario; `address.country` is one of the scenario's "
                       "countries; `baseCurrency` one of its currencies; `feeGroup` one of the profile's fee "
                       "groups; `mobile.countryCode` a country calling code.")
def consumerCreate(runtime, caller, body):
    return runtime.idempotency.run(caller.tenant, idempotency_ref(), "consumerCreate", body,
                                   lambda: runtime.consumers.create(caller, body))


@api.route(f"{MULTI}/consumers", method="GET", summary="Get the logged-in consumer", security=CONSUMER,
           tags=CONSUMERS, source=e.MULTI_SPEC, ok=(r.ConsumerOut, "The consumer"), example=x.NOTHING,
           links=CONSUMER_LINKS)
def consumerGet(runtime, caller):
    return runtime.consumers.get(caller)


@api.route(f"{MULTI}/consumers", method="PATCH", summary="Update the logged-in consumer",
           body=s.ConsumerUpdateSchema, security=CONSUMER, tags=CONSUMERS, source=e.MULTI_SPEC,
           ok=(r.ConsumerOut, "The consumer"), example=x.CONSUMER_UPDATE, links=CONSUMER_LINKS,
           description="An email change waits for the new address to be verified (send, then verify with "
                       "123456); another change within an hour is TOO_FREQUENT_EMAIL_CHANGES, an email another "
                       "consumer of this api-key has is EMAIL_NOT_UNIQUE. Once KYC is approved, name, surname, email, "
                       "mobile, dateOfBirth and address are frozen (CONSUMER_VERIFIED). `baseCurrency` must be one "
                       "of the scenario's currencies (else 400 IN, listing them), `address.country` one of its "
                       "countries, `feeGroup` one of the profile's fee groups, `mobile.countryCode` a country "
                       "calling code (each a 409).",
           raises=(e.FEE_GROUP_INVALID, e.COUNTRY_INVALID, e.COUNTRY_UNSUPPORTED, e.CONSUMER_VERIFIED,
                   e.EMAIL_NOT_UNIQUE, e.TOO_FREQUENT_EMAIL_CHANGES, e.EMAIL_DOMAIN_NOT_ALLOWED,
                   e.MOBILE_OR_COUNTRY_CODE_INVALID))
def consumerUpdate(runtime, caller, body):
    return runtime.consumers.update(caller, body)


@api.route(f"{MULTI}/consumers/verification/email/send", method="POST", status=204,
           summary="Send the root user's email verification code (always 123456 in the sandbox)",
           body=s.EmailSchema, security=API_KEY, tags=CONSUMERS, source=e.MULTI_SPEC, ok=(None, "Sent"),
           raises=(e.EMAIL_NOT_FOUND,), example=x.EMAIL_SEND,
           description="`email` is the email (or the pending new email) of a consumer of this api-key; sending "
                       "again is 204 too.", links={
               "VerifyEmail": {"operationId": "consumerRootUserEmailVerify", "requestBody": {
                   "email": "$request.body#/email", "verificationCode": k.SANDBOX_VERIFICATION_CODE}}})
def consumerRootUserEmailVerificationCodeSend(runtime, caller, body):
    runtime.consumers.send_verification(caller, body["email"])


@api.route(f"{MULTI}/consumers/verification/email/verify", method="POST", status=204,
           summary="Verify the root user's email", body=s.EmailVerifySchema, security=API_KEY, tags=CONSUMERS,
           source=e.MULTI_SPEC, ok=(None, "Verified"), raises=(e.VERIFICATION_CODE_INVALID,),
           example=x.EMAIL_VERIFY,
           description="Send the code first (verification/email/send); in the sandbox the code is always 123456. "
                       "An unknown or already verified email, or no code sent, is VERIFICATION_CODE_INVALID.")
def consumerRootUserEmailVerify(runtime, caller, body):
    runtime.consumers.verify_email(caller, body["email"], body["verificationCode"])


@api.route(f"{MULTI}/consumers/kyc", method="POST", summary="Start KYC for the logged-in consumer",
           body=s.KycStartSchema, body_optional=True, security=CONSUMER, tags=CONSUMERS, source=e.MULTI_SPEC,
           ok=(r.KycStartOut, "KYC started; `reference` initialises the KYC UI component"),
           raises=(e.KYC_ALREADY_APPROVED, e.KYC_PENDING_REVIEW, e.KYC_REJECTED, e.EMAIL_UNVERIFIED),
           example=x.KYC_START, links={"GetKyc": {"operationId": "consumerKycGet"}},
           description="The root user's email must be verified first. KYC pending review or rejected, or approved "
                       "at this level or higher, cannot start again (409). `kycLevel` defaults to KYC_LEVEL_2.")
def consumerKycStart(runtime, caller, body):
    return runtime.consumers.start_kyc(caller, body.get("kycLevel"))


@api.route(f"{MULTI}/consumers/kyc", method="GET", summary="Get the logged-in consumer's KYC status",
           security=CONSUMER, tags=CONSUMERS, source=e.MULTI_SPEC, ok=(r.KycOut, "KYC status"), example=x.NOTHING)
def consumerKycGet(runtime, caller):
    return runtime.consumers.kyc(caller)


@api.route(f"{MULTI}/consumers/fees/charge", method="POST", summary="Charge a fee to the logged-in consumer",
           body=s.FeeSchema, security=CONSUMER, tags=("Fees",), source=e.MULTI_SPEC, headers=IDEMPOTENCY,
           ok=(r.ChargeFeeOut, "Charged: availableBalanceAdjustment is minus the fee, in minor units"),
           description="Fee types and amounts come from the scenario: `feeType` is one of the api-key's fee types, "
                       "`source` a managed account of the logged-in consumer (the sandbox has no managed cards) "
                       "whose currency has an amount for that fee and whose balance covers it (each a 409). "
                       "`idempotency-ref` as for consumer create.",
           raises=(e.UNRESOLVED_FEE_TYPE, e.UNRESOLVED_INSTRUMENT, e.IDENTITY_NOT_OWNER_OF_INSTRUMENT,
                   e.FEE_AMOUNT_NOT_SET, e.FUNDS_INSUFFICIENT), example=x.CHARGE_FEE,
           links={"GetAccount": {"operationId": "get_managed_account",
                                 "parameters": {"account_id": "$response.body#/source/id"}}})
def consumerChargeFee(runtime, caller, body):
    operation = f"consumerChargeFee:{caller.consumer_id}"
    return runtime.idempotency.run(caller.tenant, idempotency_ref(), operation, body,
                                   lambda: runtime.money.charge_fee(caller, body["feeType"], body["source"]))


# -- sign-in ---------------------------------------------------------------------------------
@api.route(f"{MULTI}/passwords/<user_id>/create", method="POST", summary="Create the root user's password",
           body=s.PasswordCreateSchema, security=API_KEY, tags=SIGN_IN, source=e.MULTI_SPEC,
           ok=(r.PasswordOut, "Created; `token` is a usable auth token"),
           description="user_id is the id of a consumer of this api-key with no password yet (409 otherwise). "
                       "The password: 8-30 characters with a lowercase and an uppercase letter, a "
                       "digit and a special character.",
           raises=(e.REGEX, e.UNRESOLVED_IDENTITY, e.PASSWORD_ALREADY_CREATED, e.PASSWORD_TOO_SHORT,
                   e.PASSWORD_TOO_LONG, e.PASSWORD_TOO_SIMPLE), example=x.PASSWORD_CREATE,
           links={"AccessToken": {"operationId": "requestAccessToken", "requestBody": {
               "identity": "$response.body#/passwordInfo/identityId", "token": "$response.body#/token"}}})
def passwordCreate(runtime, caller, body, user_id: str):
    if not (user_id.isascii() and user_id.isdigit()):  # [spec] UserId ^[0-9]+$; [QA] REGEX
        raise e.WeavrError([Problem(e.REGEX, "user_id", {"values": []})])
    return runtime.consumers.create_password(caller, user_id, body["password"]["value"])


@api.route(f"{MULTI}/login_with_password", method="POST", summary="Log in with email and password",
           body=s.LoginSchema, security=API_KEY, tags=SIGN_IN, source=e.MULTI_SPEC,
           ok=(r.LoginOut, "An auth token, valid for 5 minutes from last activity"), raises=(e.LOGIN_FORBIDDEN,),
           description="The consumer must have a password and a verified email; any refusal is the same bodiless "
                       "403.",
           example=x.LOGIN, links={"AccessToken": {"operationId": "requestAccessToken", "requestBody": {
               "identity": "$response.body#/identity", "token": "$response.body#/token"}}})
def loginWithPassword(runtime, caller, body):
    return runtime.consumers.login(caller, body["email"], body["password"]["value"])


@api.route(f"{MULTI}/access_token", method="POST", summary="Exchange an auth token for an access token",
           body=s.AccessTokenSchema, security=ACCESS, tags=("Access Tokens",), source=e.ACCESS_TOKEN_DOC,
           ok=(r.AccessTokenOut, "An access token for the identity"),
           description="Send the auth token as Bearer (or, without one, in the body's `token`); `identity` must be "
                       "the token's own consumer (403 otherwise). The sandbox also "
                       "accepts auth tokens on the consumer operations.",
           raises=(e.ACCESS_TOKEN_FORBIDDEN,), example=x.ACCESS_TOKEN)
def requestAccessToken(runtime, caller, body):
    return runtime.consumers.access_token(caller, bearer(request.headers.get("Authorization")), body)


# -- simulator ---------------------------------------------------------------------------------
@api.route(f"{SIMULATOR}/consumers/<int:consumer_id>/verify", method="POST", status=204,
           summary="Simulate the full verification of a consumer", security=PROGRAMME, tags=SIM,
           source=e.SIMULATOR_SPEC, ok=(None, "Verified: email and mobile verified, KYC APPROVED"),
           raises=(e.CONSUMER_NOT_FOUND, e.KYC_MOVE_NOT_ALLOWED), example=x.SIMULATE_VERIFY,
           description="consumer_id is a consumer of this programme-key (404 otherwise), with or without a KYC "
                       "started; verifying an approved consumer again changes nothing.")
def consumers_consumer_id_verify(runtime, caller, consumer_id: int):
    runtime.consumers.simulate_verify(caller, consumer_id)


@api.route(f"{SIMULATOR}/accounts/<int:account_id>/deposit", method="POST",
           summary="Simulate an incoming wire transfer to a managed account by id", body=s.DepositByAccountIdSchema,
           security=PROGRAMME, tags=SIM, source=e.SIMULATOR_SPEC,
           ok=(r.DepositOut, "COMPLETED, or why the deposit was denied"), example=x.DEPOSIT_BY_ID,
           description=DEPOSIT_RULES)
def accounts_account_id_deposit(runtime, caller, body, account_id: int):
    account = runtime.money.account(caller, account_id)
    return runtime.money.deposit(caller, account, body["depositAmount"], body.get("txId"))


@api.route(f"{SIMULATOR}/accounts/deposit", method="POST",
           summary="Simulate an incoming wire transfer to a managed account by its bank details",
           body=s.DepositSchema, security=PROGRAMME, tags=SIM, source=e.SIMULATOR_SPEC,
           ok=(r.DepositOut, "COMPLETED, or why the deposit was denied"), example=x.DEPOSIT,
           description="The account is found by `destinationIbanDetails.iban`, else by "
                       "`destinationFasterPaymentsDetails` (sort code and account number), else by `iban`. "
                       + DEPOSIT_RULES)
def accounts_deposit(runtime, caller, body):
    money = runtime.money
    if "destinationIbanDetails" in body:
        account = money.account_by_iban(caller, body["destinationIbanDetails"]["iban"])
    elif "destinationFasterPaymentsDetails" in body:
        details = body["destinationFasterPaymentsDetails"]
        account = money.account_by_faster_payments(caller, details["sortCode"], details["accountNumber"])
    else:
        account = money.account_by_iban(caller, body["iban"]) if "iban" in body else None
    return money.deposit(caller, account, body["depositAmount"], body.get("txId"))


# -- sandbox controls ------------------------------------------------------------------------------
@api.route("/consumers/<int:consumer_id>/kyc", method="POST", control=True, provenance=SANDBOX,
           summary="Sandbox control: move a consumer's KYC to PENDING_REVIEW, APPROVED or REJECTED",
           body=s.KycDecisionSchema, security=API_KEY, tags=CONTROL, ok=(r.KycOut, "The consumer's KYC now"),
           description="Weavr's simulator can only approve; this also reviews and rejects. consumer_id is a consumer "
                       "of this api-key (404 otherwise). Moves: INITIATED to PENDING_REVIEW, APPROVED or REJECTED; "
                       "PENDING_REVIEW to APPROVED or REJECTED; NOT_STARTED only to APPROVED; REJECTED is final "
                       "(409 KYC_MOVE_NOT_ALLOWED otherwise).",
           raises=(e.CONSUMER_NOT_FOUND, e.KYC_MOVE_NOT_ALLOWED), example=x.SET_KYC)
def set_kyc(runtime, caller, body, consumer_id: int):
    return runtime.consumers.decide_kyc(caller, consumer_id, body["status"])


@api.route("/consumers/<int:consumer_id>/managed_accounts", method="POST", control=True, provenance=SANDBOX,
           summary="Sandbox control: open a managed account for a consumer", body=s.ManagedAccountCreateSchema,
           security=API_KEY, tags=CONTROL, ok=(r.ManagedAccountOut, "The account, with its IBAN"),
           description="consumer_id is a consumer of this api-key (404 otherwise); `currency` one of the "
                       "scenario's currencies (409 otherwise). Fund it with the simulator's deposits; charge fees "
                       "from it.",
           raises=(e.CONSUMER_NOT_FOUND, e.CURRENCY_UNSUPPORTED), example=x.OPEN_ACCOUNT, links=ACCOUNT_LINKS)
def open_managed_account(runtime, caller, body, consumer_id: int):
    runtime.consumers.require(caller, consumer_id)
    if body["currency"] not in runtime.consumers.rules.currencies:
        raise e.WeavrError.of(e.CURRENCY_UNSUPPORTED)
    return runtime.money.open_account(caller, consumer_id, body["currency"], body.get("balance", 0))


@api.route("/managed_accounts/<int:account_id>", method="GET", control=True, provenance=SANDBOX,
           summary="Sandbox control: read a managed account and its balance", security=API_KEY, tags=CONTROL,
           ok=(r.ManagedAccountOut, "The account"), raises=(e.ACCOUNT_NOT_FOUND,),
           example=x.GET_ACCOUNT)
def get_managed_account(runtime, caller, account_id: int):
    account = runtime.money.account(caller, account_id)
    if account is None:
        raise e.WeavrError.of(e.ACCOUNT_NOT_FOUND)
    return account_view(account)

