"""Who is calling: the api-key (the tenant: every record belongs to one),
the consumer behind a bearer token, the simulator's programme-key; the
tokens issued to consumers, and the password policy."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from werkzeug.security import check_password_hash, generate_password_hash

from sandbox.core.context import Context
from sandbox.core.errors import Condition
from sandbox.core.store import Collection, Index
from sandbox.providers.weavr import constants as k
from sandbox.providers.weavr import errors as e
from sandbox.providers.weavr.errors import WeavrError

#: a token belongs to its api-key's tenant (a per-tenant reset drops it with
#: the consumers); it is looked up in every programme's, since a token sent
#: with another api-key is a 403, not a 401 (a handful of api-keys: cheap)
TOKEN_INDEXES = (Index("token", ("token",), unique=True),)


@dataclass(frozen=True)
class Programme:
    """One api-key of the scenario and what its consumer profile allows."""

    api_key: str
    profile_id: str
    fee_groups: frozenset[str]
    fees: dict  # fee type -> {currency: minor units}


@dataclass(frozen=True)
class Caller:
    """A call with one of the scenario's api-keys (at the simulator, its
    programme-key): the programme, whose api-key is the tenant."""

    programme: Programme

    @property
    def tenant(self) -> str:
        return self.programme.api_key


@dataclass(frozen=True)
class ConsumerCaller(Caller):
    """A consumer's call: the api-key and a live token of one of its consumers."""

    consumer_id: int


@dataclass(frozen=True)
class TokenCaller(Caller):
    """The access-token exchange: the api-key, and the auth token sent as
    `Authorization: Bearer` (None without one)."""

    auth_token: str | None


class AuthService:
    def __init__(self, context: Context, tokens: Collection):
        self.context = context
        self.tokens = tokens
        self.programmes: dict[str, Programme] = {}

    # -- security checks (the values of the request's headers) ------------------------
    def programme(self, api_key: str | None) -> Caller:
        """The api-key: missing is the gateway's 400 REQUIRED, unknown a 401."""
        if api_key is None:
            raise WeavrError.of(e.API_KEY_REQUIRED)
        programme = self.programmes.get(api_key)
        if programme is None:
            raise WeavrError.of(e.API_KEY_UNAUTHORIZED)
        return Caller(programme)

    def simulator(self, programme_key: str | None) -> Caller:
        """The simulator's programme-key: the value of one of the api-keys."""
        programme = self.programmes.get(programme_key or "")
        if programme is None:
            raise WeavrError.of(e.PROGRAMME_KEY_UNAUTHORIZED)
        return Caller(programme)

    def consumer(self, api_key: str | None, authorization: str | None) -> ConsumerCaller:
        """api-key plus a live bearer token of one of its consumers; any use
        keeps the token alive for 5 more minutes."""
        caller = self.programme(api_key)
        token = self.live_token(bearer(authorization))
        if token is None:
            raise WeavrError.of(e.TOKEN_UNAUTHORIZED)
        if token["api_key"] != caller.tenant:
            raise WeavrError.of(e.INSUFFICIENT_PERMISSIONS)
        return ConsumerCaller(caller.programme, token["consumer_id"])

    def token_holder(self, api_key: str | None, authorization: str | None) -> TokenCaller:
        """api-key, and the bearer token if one is sent (the exchange judges it)."""
        return TokenCaller(self.programme(api_key).programme, bearer(authorization))

    def live_token(self, value: str | None) -> dict | None:
        if not value:
            return None
        with self.context.store.transaction():
            token = next(filter(None, (self.tokens.find(key, "token", value) for key in self.programmes)), None)
            now = self.context.clock.timestamp()
            if token is None or now - token["last_used"] > k.TOKEN_IDLE_SECONDS:
                return None
            return self.tokens.update(token["api_key"], token["id"], {"last_used": now})

    # -- tokens ---------------------------------------------------------------------
    def issue(self, caller: Caller, consumer_id: int, kind: str) -> str:
        value = secrets.token_urlsafe(32)
        self.tokens.insert(caller.tenant, {"token": value, "api_key": caller.tenant, "consumer_id": consumer_id,
                                         "kind": kind, "last_used": self.context.clock.timestamp()})
        return value


def bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def hash_password(value: str) -> str:
    return generate_password_hash(value, method=k.PASSWORD_HASH_METHOD)


def password_matches(stored: str | None, value: str) -> bool:
    return bool(stored) and check_password_hash(stored, value)


def password_problem(value: str) -> Condition | None:
    """The spec's password policy for consumers, as its 409 codes."""
    if len(value) < k.PASSWORD_MIN:
        return e.PASSWORD_TOO_SHORT
    if len(value) > k.PASSWORD_MAX:
        return e.PASSWORD_TOO_LONG
    classes = (any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value),
               any(c in k.PASSWORD_SPECIALS for c in value))
    return None if all(classes) else e.PASSWORD_TOO_SIMPLE
