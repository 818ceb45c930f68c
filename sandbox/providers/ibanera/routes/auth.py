"""Log in: username, password and the manager's TOTP."""

from __future__ import annotations

from sandbox.core.api import PUBLIC
from sandbox.providers.ibanera import errors as e
from sandbox.providers.ibanera import examples as x
from sandbox.providers.ibanera import schemas as s
from sandbox.providers.ibanera.api import api
from sandbox.providers.ibanera.runtime import IbaneraRuntime


@api.route(
    "/api/v1/public/auth/login", method="POST", summary="Log in with username, password and TOTP",
    body=s.LoginSchema, security=PUBLIC, tags=("Authentication",), source=e.AUTH_DOC,
    ok=(s.LoginResponseSchema, "Logged in"), example=x.LOGIN,
    raises=(e.USERNAME_OR_PASSWORD_INCORRECT, e.ACCOUNT_NOT_VERIFIED, e.ACCOUNT_LOCKED, e.ACCOUNT_SUPPRESSED,
            e.LOGIN_OTP_INVALID),
)
def login(runtime: IbaneraRuntime, body: dict) -> dict:
    return runtime.auth.login(**body)
