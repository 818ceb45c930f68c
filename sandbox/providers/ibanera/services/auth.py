"""Ibanera authentication: login with username, password and TOTP; a bearer
token plus a fresh TOTP on every private call.

Tokens are JWTs signed with a per-process key, so they outlive a reset (a
partner's client keeps its token between tests) but not a restart. Expiry is
checked against the sandbox clock, not the wall clock."""

from __future__ import annotations

import base64
import hmac
import secrets
import threading
from typing import TypedDict

import pyotp

from sandbox.core.context import Context
from sandbox.core.errors import Condition
from sandbox.core.store import Collection
from sandbox.providers.ibanera import constants as k
from sandbox.providers.ibanera import errors as e

ISSUER = "fintech-sandbox/ibanera"
VERIFIED_TOKENS_KEPT = 1024


class ShortSecretTOTP(pyotp.TOTP):
    """pyotp's TOTP, minus the 112-bit secret floor that pyotp 2.12 added:
    the default scenario's secrets are 160 bits, but a partner's own scenario
    may carry an 80-bit one (JBSWY3DPEHPK3PXP, as in Google Authenticator's
    examples, like many issued secrets), and login must still take its codes."""

    def byte_secret(self) -> bytes:
        secret = self.secret.upper()
        return base64.b32decode(secret + "=" * (-len(secret) % 8))


class Manager(TypedDict):
    """A manager as stored: the caller of every private call (its tenant is tenant_of(username))."""

    id: int
    username: str
    password: str
    totpSecret: str
    widgetClient: bool
    status: str
    failedLogins: int
    lockedUntil: float | None


def tenant_of(username: str) -> str:
    """The tenant key of a manager: usernames are emails, case-insensitive."""
    return username.strip().casefold()


class AuthService:
    def __init__(self, context: Context, managers: Collection):
        self._context = context
        self._managers = managers
        self._signing_key = secrets.token_bytes(32)
        self._verified: dict[str, dict] = {}
        self._verified_lock = threading.Lock()

    # -- scenario ---------------------------------------------------------------
    def add_manager(self, username: str, password: str, totp_secret: str, *, widget_client: bool,
                    status: str) -> Manager:
        tenant = tenant_of(username)
        self._managers.insert(tenant, {
            "username": username, "password": password, "totpSecret": totp_secret,
            "widgetClient": widget_client, "status": status, "failedLogins": 0, "lockedUntil": None,
        })
        return self._managers.first(tenant)

    # -- login ------------------------------------------------------------------
    def login(self, username: str, password: str, otp: str) -> dict:
        tenant = tenant_of(username)
        now = self._context.clock.timestamp()
        # The transaction ends before the refusal is raised: a failed attempt
        # is a write that must stay (it counts towards the lock-out).
        with self._context.store.transaction():
            refusal = self._check_login(tenant, password, otp, now)
        if refusal is not None:
            raise e.IbaneraError.of(refusal)
        return {
            "accessToken": self._token(tenant, now, k.TOKEN_TTL_SECONDS, "access"),
            "expiresIn": k.TOKEN_TTL_SECONDS,
            "refreshToken": self._token(tenant, now, k.REFRESH_TOKEN_TTL_SECONDS, "refresh"),
            "refreshTokenExpiresIn": k.REFRESH_TOKEN_TTL_SECONDS,
        }

    def _check_login(self, tenant: str, password: str, otp: str, now: float) -> Condition | None:
        """Why this login is refused (recording a failed attempt), or None."""
        manager = self._managers.first(tenant)
        if manager is None:
            return e.USERNAME_OR_PASSWORD_INCORRECT
        if manager["lockedUntil"] is not None and now < manager["lockedUntil"]:
            return e.ACCOUNT_LOCKED
        if not hmac.compare_digest(password.encode(), manager["password"].encode()):
            return self._failed_attempt(manager, now, e.USERNAME_OR_PASSWORD_INCORRECT)
        if manager["status"] == "suppressed":
            return e.ACCOUNT_SUPPRESSED
        if manager["status"] == "not_verified":
            return e.ACCOUNT_NOT_VERIFIED
        if not self.otp_valid(manager, otp):
            return self._failed_attempt(manager, now, e.LOGIN_OTP_INVALID)
        self._managers.update(tenant, manager["id"], {"failedLogins": 0, "lockedUntil": None})
        return None

    def _failed_attempt(self, manager: Manager, now: float, condition: Condition) -> Condition:
        failures = manager["failedLogins"] + 1
        locked = failures >= k.LOCK_AFTER_FAILURES
        self._managers.update(tenant_of(manager["username"]), manager["id"], {
            "failedLogins": 0 if locked else failures,
            "lockedUntil": now + k.LOCK_SECONDS if locked else None,
        })
        return condition

    # -- private calls ------------------------------------------------------------
    def authenticate(self, authorization: str | None, otp: str | None, *, require_otp: bool = True) -> Manager:
        """The manager behind a request's Authorization and otp headers."""
        manager = self._manager_from_token(authorization)
        if require_otp and not (otp and self.otp_valid(manager, otp)):
            raise e.unauthorised(e.OTP_UNAUTHORISED)
        return manager

    def _manager_from_token(self, authorization: str | None) -> Manager:
        scheme, _, token = (authorization or "").partition(" ")
        claims = self._claims(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
        if claims is None or claims["typ"] != "access" or claims["exp"] <= self._context.clock.timestamp():
            raise e.unauthorised(e.TOKEN_UNAUTHORISED)
        manager = self._managers.first(claims["sub"])
        if manager is None or manager["status"] != "active":
            raise e.unauthorised(e.TOKEN_UNAUTHORISED)
        return manager

    def _claims(self, token: str) -> dict | None:
        """A token's claims once its signature is checked (cached: a partner
        sends the same token on every call), or None. Expiry is checked by the
        caller against the sandbox clock, which may move."""
        claims = self._verified.get(token)
        if claims is None:
            import jwt  # here, as in _token: not at start-up

            try:
                claims = jwt.decode(token, self._signing_key, algorithms=["HS256"], issuer=ISSUER,
                                    options={"verify_exp": False, "verify_iat": False,  # the sandbox clock judges
                                             "require": ["sub", "exp", "typ"]})
            except jwt.PyJWTError:
                return None
            with self._verified_lock:  # request threads share the cache
                if len(self._verified) >= VERIFIED_TOKENS_KEPT:
                    self._verified.pop(next(iter(self._verified)))  # the oldest
                self._verified[token] = claims
        return claims

    def otp_valid(self, manager: Manager, otp: str) -> bool:
        if not (otp.isascii() and otp.isdigit()):
            return False  # pyotp compares NFKC-normalised: full-width digits would pass
        if not self._context.settings["strict_otp"] and hmac.compare_digest(otp.encode(), k.SANDBOX_OTP.encode()):
            return True
        totp = ShortSecretTOTP(manager["totpSecret"], digits=k.TOTP_DIGITS, interval=k.TOTP_INTERVAL_SECONDS)
        return totp.verify(otp, for_time=self._context.clock.now(), valid_window=k.TOTP_DRIFT_STEPS)

    def _token(self, tenant: str, now: float, ttl: int, typ: str) -> str:
        claims = {"iss": ISSUER, "sub": tenant, "typ": typ, "iat": int(now), "exp": int(now) + ttl,
                  "jti": secrets.token_hex(8)}
        import jwt  # on the first login, not at start-up (~5 ms)

        return jwt.encode(claims, self._signing_key, algorithm="HS256")
