"""Sign-in (Multi API): the root user's password, login with it, and the
exchange of an auth token for an access token."""

from __future__ import annotations

from sandbox.providers.weavr import errors as e
from sandbox.providers.weavr import examples as x
from sandbox.providers.weavr import replies as r
from sandbox.providers.weavr import schemas as s
from sandbox.providers.weavr.api import ACCESS, API_KEY, MULTI, api
from sandbox.providers.weavr.runtime import WeavrRuntime
from sandbox.providers.weavr.services.auth import Caller, TokenCaller

TAGS = ("Sign-in",)


@api.route(f"{MULTI}/passwords/<user_id>/create", method="POST", summary="Create the root user's password",
           body=s.PasswordCreateSchema, security=API_KEY, tags=TAGS, source=e.MULTI_SPEC,
           ok=(r.PasswordOut, "Created; `token` is a usable auth token"),
           description="user_id is the id of a consumer of this api-key with no password yet (409 otherwise). "
                       "The password: 8-30 characters with a lowercase and an uppercase letter, a "
                       "digit and a special character.",
           raises=(e.REGEX, e.UNRESOLVED_IDENTITY, e.PASSWORD_ALREADY_CREATED, e.PASSWORD_TOO_SHORT,
                   e.PASSWORD_TOO_LONG, e.PASSWORD_TOO_SIMPLE), example=x.PASSWORD_CREATE,
           links={"AccessToken": {"operationId": "requestAccessToken", "requestBody": {
               "identity": "$response.body#/passwordInfo/identityId", "token": "$response.body#/token"}}})
def passwordCreate(runtime: WeavrRuntime, caller: Caller, body: dict, user_id: str) -> dict:
    return runtime.consumers.create_password(caller, user_id, body["password"]["value"])


@api.route(f"{MULTI}/login_with_password", method="POST", summary="Log in with email and password",
           body=s.LoginSchema, security=API_KEY, tags=TAGS, source=e.MULTI_SPEC,
           ok=(r.LoginOut, "An auth token, valid for 5 minutes from last activity"), raises=(e.LOGIN_FORBIDDEN,),
           description="The consumer must have a password and a verified email; any refusal is the same bodiless "
                       "403. The password must match exactly (no text takes a control character: 400 REGEX). An "
                       "attempt with a consumer's email sends /login/watch, VERIFIED or DECLINED.",
           example=x.LOGIN, links={"AccessToken": {"operationId": "requestAccessToken", "requestBody": {
               "identity": "$response.body#/identity", "token": "$response.body#/token"}}})
def loginWithPassword(runtime: WeavrRuntime, caller: Caller, body: dict) -> dict:
    return runtime.consumers.login(caller, body["email"], body["password"]["value"])


@api.route(f"{MULTI}/access_token", method="POST", summary="Exchange an auth token for an access token",
           body=s.AccessTokenSchema, security=ACCESS, tags=("Access Tokens",), source=e.ACCESS_TOKEN_DOC,
           ok=(r.AccessTokenOut, "An access token for the identity"),
           description="Send the auth token as Bearer (or, without one, in the body's `token`); `identity` must be "
                       "the token's own consumer (403 otherwise). The sandbox also "
                       "accepts auth tokens on the consumer operations.",
           raises=(e.ACCESS_TOKEN_FORBIDDEN,), example=x.ACCESS_TOKEN)
def requestAccessToken(runtime: WeavrRuntime, caller: TokenCaller, body: dict) -> dict:
    return runtime.consumers.access_token(caller, body["identity"], body.get("token"))
