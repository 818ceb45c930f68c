"""Error codes as data, owned by core; each provider supplies only its codes
and its envelope (moto's RESTError split: core renders, a provider subclasses).

* `Condition`: one way a request fails: the provider's code, the HTTP status,
  when it happens, and how far to trust it (`documented` with its source,
  `inferred`, or `sandbox`).
* `Catalogue`: a provider's conditions, registered explicitly one by one,
  plus the conditions that answer transport errors (404, 405, 413, 415, bad
  JSON, a sandbox bug). It renders the OpenAPI `x-error-codes`.
* `Envelope`: how a provider's error body looks; `ApiError` is the exception
  every provider raises (a provider subclasses it to name its catalogue).
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException

DOCUMENTED = "documented"
INFERRED = "inferred"
SANDBOX = "sandbox"  # exists only in fintech-sandbox, to drive the sandbox
PROVENANCES = (DOCUMENTED, INFERRED, SANDBOX)

_STATUS_TEXT = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                405: "Method Not Allowed", 409: "Conflict", 413: "Payload Too Large", 415: "Unsupported Media Type",
                422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error"}


@dataclass(frozen=True, eq=False)
class Condition:
    """One way a request can fail, as the provider reports it. Identity
    matters: two conditions may share a code (with other provenance)."""

    code: str
    status: int
    when: str
    provenance: str
    source: str | None = None
    #: a fixed field the provider names with this code; None: the request field at fault
    field: str | None = None
    #: provider-specific extras for its envelope (e.g. P100's errorName)
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        if self.provenance not in PROVENANCES:
            raise ValueError(f"{self.code}: provenance must be one of {PROVENANCES}")
        if self.provenance == DOCUMENTED and not self.source:
            raise ValueError(f"{self.code}: a documented code names its source")


@dataclass(frozen=True)
class Problem:
    """A condition as it happened: the field at fault and any parameters."""

    condition: Condition
    field: str | None = None
    params: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class TransportCodes:
    """What a provider answers below its handlers: the routing and body
    errors Flask/Werkzeug raise before a view runs."""

    not_found: Condition
    method_not_allowed: Condition
    too_large: Condition
    unsupported_media_type: Condition
    malformed_json: Condition
    #: any other 4xx Werkzeug raises
    bad_request: Condition
    unexpected: Condition

    def body_conditions(self) -> tuple[Condition, ...]:
        """What any operation with a JSON body can answer before parsing it."""
        return (self.malformed_json, self.too_large, self.unsupported_media_type)


class Envelope(ABC):
    """A provider's error body. `schema_name` names the marshmallow schema
    (registered in the provider's document) that describes it."""

    schema_name: str
    #: says what the body is, in each error response of the document
    description: str = "the provider's error body."
    #: the key under which a code appears in the OpenAPI x-error-codes entries
    code_key: str = "code"
    field_key: str | None = "fieldName"

    @abstractmethod
    def render(self, problems: list[Problem], status: int) -> dict | None:
        """The JSON body for these problems; None: an answer with no body
        (some providers answer e.g. 401 with headers only)."""

    @abstractmethod
    def codes_in(self, body: Any) -> list[str]:
        """The codes an answered body carries (tests read them back)."""

    def headers(self, problems: list[Problem], status: int) -> dict[str, str]:
        return {}

    def bodiless(self, condition: Condition) -> bool:
        """Whether this condition is answered with no body (render returns
        None); its OpenAPI response then declares no content."""
        return False


class Catalogue:
    """A provider's error conditions, in the order they were registered."""

    def __init__(self, provider: str, envelope: Envelope):
        self.provider = provider
        self.envelope = envelope
        self.conditions: list[Condition] = []
        self._first_by_code: dict[str, Condition] = {}
        self.transport: TransportCodes | None = None

    def add(self, code: str, status: int, when: str, provenance: str, *, source: str | None = None,
            field: str | None = None, **extra: Any) -> Condition:
        condition = Condition(code, status, when, provenance, source, field, extra)
        self.conditions.append(condition)
        self._first_by_code.setdefault(code, condition)
        return condition

    def by_code(self, code: str) -> Condition | None:
        """The first condition registered with this code (a lookup: schemas ask ~2,000 times at import)."""
        return self._first_by_code.get(code)

    def error_class(self, name: str, transport: TransportCodes) -> type[ApiError]:
        """The provider's error (raise `XError.of(condition)`), answering with
        `transport` the routing and body errors raised before a handler runs:
        a provider's one declaration of both, e.g.
        `IbaneraError = CODES.error_class("IbaneraError", TransportCodes(...))`."""
        unknown = [c.code for c in vars(transport).values() if c not in self.conditions]
        if unknown:
            raise ValueError(f"transport conditions not in the {self.provider} catalogue: {unknown}")
        if self.transport is not None:
            raise ValueError(f"{self.provider} already has its error class")
        self.transport = transport
        return type(name, (ApiError,), {"catalogue": self, "__doc__": f"An error in {self.provider}'s envelope."})

    # -- OpenAPI ------------------------------------------------------------------
    def entry(self, condition: Condition, *, with_status: bool = False) -> dict:
        env = self.envelope
        entry: dict[str, Any] = {env.code_key: condition.code, "when": condition.when,
                                 "x-provenance": condition.provenance}
        if with_status:
            entry = {"status": condition.status, **entry}
        if condition.field is not None and env.field_key:
            entry[env.field_key] = condition.field
        if condition.source:
            entry["x-source"] = condition.source
        return entry

    def entries(self) -> list[dict]:
        """Every condition, for the document's top-level x-error-codes."""
        return [self.entry(c, with_status=True) for c in self.conditions]

    def responses(self, conditions: Iterable[Condition]) -> dict[str, dict]:
        """OpenAPI error responses, one per status, each listing under
        x-error-codes every code the operation can answer with that status."""
        by_status: dict[int, list[Condition]] = {}
        for c in conditions:
            found = by_status.setdefault(c.status, [])
            if c not in found:
                found.append(c)
        responses = {}
        for status, found in sorted(by_status.items()):
            response: dict[str, Any] = {
                "description": f"{_STATUS_TEXT.get(status, 'Error')}: {self.envelope.description}"}
            if not all(self.envelope.bodiless(c) for c in found):
                response["content"] = {"application/json": {"schema": self.envelope.schema_name}}
            response["x-error-codes"] = [self.entry(c) for c in found]
            responses[str(status)] = response
        return responses


class ApiError(Exception):
    """An error answered in its provider's envelope. Each provider has its own
    subclass, naming its catalogue (made by Catalogue.error_class)."""

    catalogue: ClassVar[Catalogue]

    def __init__(self, problems: Iterable[Problem], *, status: int | None = None,
                 headers: Mapping[str, str] | None = None):
        self.problems = list(problems)
        if not self.problems:
            raise ValueError("an error names at least one condition")
        self.status = status or self.problems[0].condition.status
        self.headers = dict(headers or {})
        super().__init__(self.status, [p.condition.code for p in self.problems])

    @classmethod
    def of(cls, *conditions: Condition, headers: Mapping[str, str] | None = None) -> ApiError:
        """Raise these conditions, each reporting its own fixed field."""
        return cls([Problem(c, c.field) for c in conditions], headers=headers)

    def to_response(self) -> Response:
        envelope = self.catalogue.envelope
        body = envelope.render(self.problems, self.status)
        if body is None:
            response = Response(status=self.status)
            del response.headers["Content-Type"]
        else:
            response = jsonify(body)
            response.status_code = self.status
        response.headers.update(envelope.headers(self.problems, self.status))
        response.headers.update(self.headers)
        return response


def transport_error(error_class: type[ApiError], exc: HTTPException) -> ApiError:
    """A routing or body error raised below the handlers, in the provider's envelope."""
    from sandbox.core.http import MalformedJson, NotAJsonObject

    t = error_class.catalogue.transport
    if t is None:
        raise RuntimeError(f"{error_class.catalogue.provider} declares no transport codes")
    code = exc.code or 500
    if isinstance(exc, (MalformedJson, NotAJsonObject)):
        condition = t.malformed_json
    else:
        condition = {404: t.not_found, 405: t.method_not_allowed, 413: t.too_large,
                     415: t.unsupported_media_type}.get(code, t.bad_request if code < 500 else t.unexpected)
    allow = {name: value for name, value in exc.get_headers() if name.lower() == "allow"}
    return error_class([Problem(condition, condition.field)], status=code if code < 500 else condition.status,
                       headers=allow)
