"""Users: onboarding, KYC (Methods A and B), proof of address, account
management. Paths the docs confirm are `documented`; the others follow the
reference's inference and are marked `inferred`."""

from __future__ import annotations

from flask import Response
from werkzeug.datastructures import FileStorage

from sandbox.core.errors import INFERRED
from sandbox.core.openapi import Example
from sandbox.providers.p100 import constants as k
from sandbox.providers.p100 import errors as e
from sandbox.providers.p100 import examples as ex
from sandbox.providers.p100 import schemas as s
from sandbox.providers.p100.api import API_KEY, api
from sandbox.providers.p100.replies import redirect_page
from sandbox.providers.p100.runtime import P100Runtime
from sandbox.providers.p100.services.partners import Partner

DOCS, GH = e.DOCS, e.GH
USERS, KYC, ACCOUNT = ("Users",), ("KYC",), ("Account management",)

# -- OpenAPI links: how a created user's id feeds the next calls (what schemathesis's stateful phase follows)
NEW_USER = {"external_user_id": "$request.body#/externalUserId"}
TO_NEW_USER = {
    "GetBalances": "get_balances", "AddKycFiles": "add_kyc_files", "GetKycStatus": "get_kyc_status",
    "AddPoaFiles": "add_poa_files", "DeleteUser": "delete_user", "SuspendUser": "suspend_user",
    "UnsuspendUser": "unsuspend_user", "GetTransactionHistory": "transaction_history",
    "GetSepaContacts": "sepa_contacts", "SetKyc": "set_kyc", "DepositCrypto": "deposit_crypto",
}


@api.route(
    "/v1/user/balances/crypto-and-fiat", method="POST", summary="Create user account", status=201,
    body=s.CreateUserSchema, security=API_KEY, tags=USERS, source=e.CREATE_DOC,
    description="Generates the user's balances: crypto ready, fiat WAITING_TO_BE_ACTIVATED until Add User "
                "Verification. The success status is inferred (201). Business rules OpenAPI cannot say: "
                "externalUserId must be new for this API key (P411; deleted ids are never reused); email must be a "
                "deliverable-looking address (local@domain.tld); birthDate is not in the future.",
    ok=(s.CreateUserReply, "Created"), raises=(e.USER_EXISTS,),
    example=Example(body={
        "externalUserId": "dora", "email": "dora@example.pl", "phone": "48601233456", "firstName": "Dorota",
        "lastName": "Mazur", "street": "ul. Marszałkowska", "number": "12/5", "city": "Warszawa",
        "postCode": "00-001", "country": "PL", "citizenship": "PL", "nationality": "PL", "birthCountry": "PL",
        "birthDate": "1990-05-15", "userIdentificationNumber": "90051512345", "hasAcceptedP100Tc": True}),
    links={name: {"operationId": op, "parameters": NEW_USER} for name, op in TO_NEW_USER.items()} | {
        "CreateKycVerification": {"operationId": "create_kyc_verification", "requestBody": {
            "externalUserId": "$request.body#/externalUserId", "documentType": "PASSPORT",
            "country": "$request.body#/country", "incomeSource": "SALARY", "openAccountReason": "DAILY_USE",
            "occupation": "IT", "additionalInfo": "Engineer"}}},
)
def create_user(runtime: P100Runtime, caller: Partner, body: dict) -> dict:
    return runtime.users.create(caller, body)


@api.route(
    "/v1/user/balances/<externaluser:external_user_id>", method="GET", summary="Get user balances",
    security=API_KEY, tags=USERS, source=f"{DOCS}/faq-1299898m0", ok=(s.BalancesReply, "The user's balances"),
    raises=(e.INVALID_USER,), example=Example(path={"external_user_id": ex.USER}),
    description="The user must be one of this API key's (P412). `crypto-and-fiat` is not a user id here: that path "
                "is Create User Account's (405 for GET).",
)
def get_balances(runtime: P100Runtime, caller: Partner, external_user_id: str) -> dict:
    return runtime.users.balances(caller, external_user_id)


# -- KYC ----------------------------------------------------------------------------------------------------
@api.route(
    "/v1/user/kyc-files/<external_user_id>", method="POST", summary="Add KYC file (Method A)", status=201,
    files=k.FILE_FIELD, files_count=(1, k.MAX_KYC_FILES), security=API_KEY, tags=KYC, source=f"{GH}/api/user",
    description="multipart/form-data, field `files` (1 to 3: front, back, selfie), jpeg/png/jpg/pdf, at most 5 MB "
                "each (limits and reply inferred from Add POA File). The user must be one of this API key's (P412); "
                "each file's content (not its name or type) must be an image or a PDF (P426). Processed as the API "
                "key's `kyc_files` outcome says (at once unless set): ADDED (a /webhook/kyc-files/status event; the "
                "KYC attempt goes to VERIFICATION, then as `kyc` says) or ERROR. The reply's status is the decision "
                "when it is made at once, else PROCESSING (inferred).",
    ok=(s.FilesReply, "Added"), raises=(e.INVALID_USER, e.INVALID_FILE_TYPE, e.FILE_TOO_LARGE),
    example=Example(path={"external_user_id": ex.NEW_USER}),
)
def add_kyc_files(runtime: P100Runtime, caller: Partner, files: list[FileStorage], external_user_id: str) -> dict:
    return runtime.users.add_kyc_files(caller, external_user_id, files)


@api.route(
    "/v1/kyc", method="POST", summary="Creating KYC verification (Method B)", status=201,
    body=s.CreateKycVerificationSchema, security=API_KEY, tags=KYC, source=f"{GH}/api/kyc",
    description="The reply (verificationId for Redirect to Verification) and its status are inferred. Business "
                "rules: the user must be one of this API key's and not suspended (P412, P455); taxId is required "
                "when incomeSource is BUSINESS_ACTIVITY, occupation when SALARY, additionalInfo when SALARY, OTHER, "
                "MAINTAINED_BY_FAMILY, INVESTMENTS, SOCIAL_BENEFITS or TENANCY (P403). The attempt is PENDING until "
                "decided as the API key's `kyc` outcome says (manual unless set: the control POST "
                "/_sandbox/p100/users/{id}/kyc), each step a KYC Verification Status event.",
    ok=(s.VerificationReply, "Verification created; KYC NOT_VERIFIED / PENDING"),
    raises=(e.INVALID_USER, e.USER_SUSPENDED),
    example=Example(body={"externalUserId": ex.NEW_USER, "documentType": "ID_CARD", "country": "PL",
                          "incomeSource": "SALARY", "openAccountReason": "DAILY_USE", "occupation": "IT",
                          "additionalInfo": "Software engineer"}),
    links={
        "RedirectToVerification": {"operationId": "redirect_to_verification", "parameters": {
            "external_user_id": "$request.body#/externalUserId", "verification_id": "$response.body#/verificationId"}},
        "VerificationPage": {"operationId": "verification_page",
                             "parameters": {"verification_id": "$response.body#/verificationId"}},
        "GetKycStatus": {"operationId": "get_kyc_status",
                         "parameters": {"external_user_id": "$request.body#/externalUserId"}},
    },
)
def create_kyc_verification(runtime: P100Runtime, caller: Partner, body: dict) -> dict:
    return runtime.users.create_verification(caller, body)


@api.route(
    "/v1/kyc/verification/<external_user_id>/<verification_id>", method="GET",
    summary="Redirect to verification (an HTML page)", security=API_KEY, tags=KYC, source=e.REDIRECT_DOC,
    media_type="text/html", ok=({"type": "string"}, "A loading page that sends the browser to the sandbox's KYC page"),
    raises=(e.INVALID_USER, e.VERIFICATION_NOT_FOUND),
    example=Example(path={"external_user_id": ex.USER, "verification_id": ex.VERIFICATION_ID}),
    description="The verification must be one this user created (else 404 P446).",
)
def redirect_to_verification(runtime: P100Runtime, caller: Partner, external_user_id: str,
                             verification_id: str) -> Response:
    return redirect_page(runtime.users.verification(caller, external_user_id, verification_id))


@api.route(
    "/v1/kyc/status/<external_user_id>", method="GET", summary="Get KYC status", security=API_KEY, tags=KYC,
    source=e.KYC_STATUS_DOC,
    description="Fields mirror the KYC Verification Status webhook (inferred). 404 P445 until the user has a KYC (a "
                "verification created, a KYC file added).",
    ok=(s.KycStatusReply, "The user's KYC status"), raises=(e.INVALID_USER, e.KYC_NOT_FOUND),
    example=Example(path={"external_user_id": ex.USER}),
)
def get_kyc_status(runtime: P100Runtime, caller: Partner, external_user_id: str) -> dict:
    return runtime.users.kyc_status(caller, external_user_id)


@api.route(
    "/v1/user/verification", method="POST", summary="Add user verification (document data)",
    body=s.UserVerificationSchema, security=API_KEY, tags=KYC, source=f"{GH}/api/user",
    description="Needs KYC VERIFIED (else P459). Activates fiat and issues the IBAN (IBAN countries); the first "
                "time, a /webhook/user/status event (ACTIVE). The body "
                "beyond externalUserId and the reply are inferred. documentIssueDate is not in the future.",
    ok=(s.StatusReply, "Fiat ACTIVE"), raises=(e.INVALID_USER, e.USER_SUSPENDED, e.USER_NOT_VERIFIED),
    example=Example(body={"externalUserId": ex.USER, "documentType": "PASSPORT", "documentNumber": "XK1234567",
                          "documentIssueDate": "2020-01-01", "documentExpiryDate": "2030-01-01"}),
)
def add_user_verification(runtime: P100Runtime, caller: Partner, body: dict) -> dict:
    return runtime.users.add_user_verification(caller, body)


@api.route(
    "/v1/user/poa-files/<external_user_id>", method="POST", summary="Add POA file", status=201,
    files=k.FILE_FIELD, files_count=(1, k.MAX_POA_FILES), security=API_KEY, tags=KYC, source=e.POA_DOC,
    description="Up to 3 files of at most 5 MB, image/jpeg, image/png, image/jpg or application/pdf, all at once. "
                "202 P211 while earlier files wait for review. The user's country must require a POA (AM, AR, AZ, "
                "GE, IL, MD, UA; else 404 P460) and the POA must not be APPROVED (P447). Each file's content must be "
                "an image or a PDF. WAITING until decided as the API key's `poa` outcome says (manual unless set: "
                "the control's poaStatus); each status a /webhook/poa-verification/status event.",
    ok=(s.FilesReply, "Files received; POA WAITING"),
    raises=(e.INVALID_USER, e.INVALID_FILE_TYPE, e.FILE_TOO_LARGE, e.POA_ALREADY_VERIFIED, e.POA_PENDING,
            e.POA_NOT_FOUND),
    example=Example(path={"external_user_id": ex.POA_USER}),
)
def add_poa_files(runtime: P100Runtime, caller: Partner, files: list[FileStorage], external_user_id: str) -> dict:
    return runtime.users.add_poa_files(caller, external_user_id, files)


# -- account management -------------------------------------------------------------------------------------
@api.route(
    "/v1/user", method="PATCH", summary="Update existing user (contact and address data)",
    body=s.UpdateUserSchema, security=API_KEY, tags=ACCOUNT, provenance=INFERRED,
    source="https://zrkoqtds6p.apidog.io/test/account-management-6405089f0",
    description="Path and body inferred. Country and identity data cannot change: such a field is P403. The user "
                "must be one of this API key's (P412); blank values are refused (P403).",
    ok=(s.UserReply, "The user's data now"), raises=(e.INVALID_USER,),
    example=Example(body={"externalUserId": ex.NEW_USER, "city": "Kraków", "phone": "48123456789"}),
)
def update_user(runtime: P100Runtime, caller: Partner, body: dict) -> dict:
    return runtime.users.update(caller, body)


@api.route(
    "/v1/user/<externaluser:external_user_id>", method="DELETE", summary="Delete user (permanent)",
    security=API_KEY, tags=ACCOUNT, provenance=INFERRED, source=f"{DOCS}/delete-user-19651265e0",
    description="Path inferred. The user is gone on every path afterwards (P412); the id is never reused. "
                "`verification` is not a user id here: that path is Add User Verification's (405 for DELETE).",
    ok=(s.StatusReply, "Deleted"), raises=(e.INVALID_USER,),
    example=Example(path={"external_user_id": ex.SPARE_USER}),
)
def delete_user(runtime: P100Runtime, caller: Partner, external_user_id: str) -> dict:
    return runtime.users.set_status(caller, external_user_id, "DELETED")


@api.route(
    "/v1/user/suspend/<external_user_id>", method="PATCH", summary="Suspend user", security=API_KEY,
    tags=ACCOUNT, provenance=INFERRED, source=e.SUSPEND_DOC,
    description="Path inferred (the id is a path parameter). Blocks deposits, withdrawals, exchanges and transfers "
                "(P455) until unsuspended. P454 (active cards) cannot happen: cards are offline.",
    ok=(s.StatusReply, "Suspended"), raises=(e.INVALID_USER,),
    example=Example(path={"external_user_id": ex.SPARE_USER}),
    links={"UnsuspendUser": {"operationId": "unsuspend_user",
                             "parameters": {"external_user_id": "$request.path.external_user_id"}}},
)
def suspend_user(runtime: P100Runtime, caller: Partner, external_user_id: str) -> dict:
    return runtime.users.set_status(caller, external_user_id, "SUSPENDED")


@api.route(
    "/v1/user/unsuspend/<external_user_id>", method="PATCH", summary="Unsuspend user", security=API_KEY,
    tags=ACCOUNT, provenance=INFERRED, source=f"{DOCS}/unsuspend-user-19651331e0",
    description="Path inferred.", ok=(s.StatusReply, "Active again"), raises=(e.INVALID_USER,),
    example=Example(path={"external_user_id": ex.SPARE_USER}),
)
def unsuspend_user(runtime: P100Runtime, caller: Partner, external_user_id: str) -> dict:
    return runtime.users.set_status(caller, external_user_id, "ACTIVE")
