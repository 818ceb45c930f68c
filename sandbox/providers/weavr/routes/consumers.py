"""Consumers (Multi API): create, read and update the consumer, verify its
root user's email, start KYC and read it."""

from __future__ import annotations

from sandbox.providers.weavr import constants as k
from sandbox.providers.weavr import errors as e
from sandbox.providers.weavr import examples as x
from sandbox.providers.weavr import replies as r
from sandbox.providers.weavr import schemas as s
from sandbox.providers.weavr.api import API_KEY, CONSUMER, IDEMPOTENCY, MULTI, api, idempotency_ref
from sandbox.providers.weavr.runtime import WeavrRuntime
from sandbox.providers.weavr.services.auth import Caller, ConsumerCaller

TAGS = ("Consumers",)
#: what the schema cannot say of a consumer's fields, on create and on update (each a 409 otherwise)
CONSUMER_RULES = ("`address.country` is one of the scenario's countries, `feeGroup` one of the profile's fee "
                  "groups, `mobile.countryCode` a country calling code.")

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


@api.route(f"{MULTI}/consumers", method="POST", summary="Create a consumer", body=s.ConsumerCreateSchema,
           security=API_KEY, tags=TAGS, source=e.MULTI_SPEC, ok=(r.ConsumerOut, "The new consumer"),
           headers=IDEMPOTENCY, example=x.CONSUMER_CREATE, links=CONSUMER_LINKS,
           raises=(e.PROFILE_FORBIDDEN, e.IDEMPOTENCY_REF_REUSED, e.IDEMPOTENCY_REF_TOO_LONG),
           description="The profileId of another of the scenario's api-keys (another innovator's programme) is 403 "
                       "INSUFFICIENT_PERMISSIONS [QA]. What else the schema cannot say (each a 409): `profileId` is "
                       "this api-key's consumer profile; "
                       "`rootUser.email` is not a consumer of this api-key's yet and its domain is not blocked by "
                       "the scenario; `baseCurrency` is one of the scenario's currencies; " + CONSUMER_RULES)
def consumerCreate(runtime: WeavrRuntime, caller: Caller, body: dict) -> dict:
    return runtime.consumers.create(caller, body, idempotency_ref())


@api.route(f"{MULTI}/consumers", method="GET", summary="Get the logged-in consumer", security=CONSUMER,
           tags=TAGS, source=e.MULTI_SPEC, ok=(r.ConsumerOut, "The consumer"), example=x.NOTHING,
           links=CONSUMER_LINKS)
def consumerGet(runtime: WeavrRuntime, caller: ConsumerCaller) -> dict:
    return runtime.consumers.get(caller)


@api.route(f"{MULTI}/consumers", method="PATCH", summary="Update the logged-in consumer",
           body=s.ConsumerUpdateSchema, security=CONSUMER, tags=TAGS, source=e.MULTI_SPEC,
           ok=(r.ConsumerOut, "The consumer"), example=x.CONSUMER_UPDATE, links=CONSUMER_LINKS,
           description="An email change waits for the new address to be verified (send, then verify with "
                       "123456); another change within an hour is TOO_FREQUENT_EMAIL_CHANGES, an email another "
                       "consumer of this api-key has is EMAIL_NOT_UNIQUE. Once KYC is approved, name, surname, email, "
                       "mobile, dateOfBirth and address are frozen (CONSUMER_VERIFIED). `baseCurrency` must be one "
                       "of the scenario's currencies (else 400 IN, listing them). Each a 409 otherwise: "
                       + CONSUMER_RULES,
           raises=(e.FEE_GROUP_INVALID, e.COUNTRY_INVALID, e.COUNTRY_UNSUPPORTED, e.CONSUMER_VERIFIED,
                   e.EMAIL_NOT_UNIQUE, e.TOO_FREQUENT_EMAIL_CHANGES, e.EMAIL_DOMAIN_NOT_ALLOWED,
                   e.MOBILE_OR_COUNTRY_CODE_INVALID))
def consumerUpdate(runtime: WeavrRuntime, caller: ConsumerCaller, body: dict) -> dict:
    return runtime.consumers.update(caller, body)


@api.route(f"{MULTI}/consumers/verification/email/send", method="POST", status=204,
           summary="Send the root user's email verification code (always 123456 in the sandbox)",
           body=s.EmailSchema, security=API_KEY, tags=TAGS, source=e.MULTI_SPEC, ok=(None, "Sent"),
           raises=(e.EMAIL_NOT_FOUND,), example=x.EMAIL_SEND,
           description="`email` is the email (or the pending new email) of a consumer of this api-key; sending "
                       "again is 204 too. The spec also declares a 403; Weavr's QA answered another programme's email "
                       "with 409 EMAIL_NOT_FOUND, as the sandbox does, and the sandbox has no key permissions to "
                       "refuse, so it never answers one.", links={
               "VerifyEmail": {"operationId": "consumerRootUserEmailVerify", "requestBody": {
                   "email": "$request.body#/email", "verificationCode": k.SANDBOX_VERIFICATION_CODE}}})
def consumerRootUserEmailVerificationCodeSend(runtime: WeavrRuntime, caller: Caller, body: dict) -> None:
    runtime.consumers.send_verification(caller, body["email"])


@api.route(f"{MULTI}/consumers/verification/email/verify", method="POST", status=204,
           summary="Verify the root user's email", body=s.EmailVerifySchema, security=API_KEY, tags=TAGS,
           source=e.MULTI_SPEC, ok=(None, "Verified"), raises=(e.VERIFICATION_CODE_INVALID,),
           example=x.EMAIL_VERIFY,
           description="Send the code first (verification/email/send); in the sandbox the code is always 123456. "
                       "An unknown or already verified email, or no code sent, is VERIFICATION_CODE_INVALID (also "
                       "another programme's email, as Weavr's QA saw; the spec's 403 is never answered: the sandbox "
                       "has no key permissions to refuse).")
def consumerRootUserEmailVerify(runtime: WeavrRuntime, caller: Caller, body: dict) -> None:
    runtime.consumers.verify_email(caller, body["email"], body["verificationCode"])


@api.route(f"{MULTI}/consumers/kyc", method="POST", summary="Start KYC for the logged-in consumer",
           body=s.KycStartSchema, body_optional=True, security=CONSUMER, tags=TAGS, source=e.MULTI_SPEC,
           ok=(r.KycStartOut, "KYC started; `reference` initialises the KYC UI component"),
           raises=(e.KYC_ALREADY_APPROVED, e.KYC_PENDING_REVIEW, e.KYC_REJECTED, e.EMAIL_UNVERIFIED),
           example=x.KYC_START, links={"GetKyc": {"operationId": "consumerKycGet"}},
           description="The root user's email must be verified first. KYC pending review or rejected, or approved "
                       "at this level or higher, cannot start again (409). `kycLevel` defaults to KYC_LEVEL_2. "
                       "Starting sends /consumers/kyc/watch (INITIATED) and plans the decision on the api-key's "
                       "`kyc` outcome (PUT /_sandbox/weavr/outcomes; manual unless set; a root email ending "
                       "+kyc_approved or +kyc_rejected chooses this consumer's): each change sends its KycEvent.")
def consumerKycStart(runtime: WeavrRuntime, caller: ConsumerCaller, body: dict) -> dict:
    return runtime.consumers.start_kyc(caller, body.get("kycLevel"))


@api.route(f"{MULTI}/consumers/kyc", method="GET", summary="Get the logged-in consumer's KYC status",
           security=CONSUMER, tags=TAGS, source=e.MULTI_SPEC, ok=(r.KycOut, "KYC status"), example=x.NOTHING)
def consumerKycGet(runtime: WeavrRuntime, caller: ConsumerCaller) -> dict:
    return runtime.consumers.kyc(caller)
