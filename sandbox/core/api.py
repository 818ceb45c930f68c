"""One declaration per endpoint, in the spirit of flask-smorest's
`arguments()` / `response()`: the same declaration serves the view, parses
its body and query, enforces its security (handing the handler its caller),
wraps the reply in the provider's envelope, and writes the OpenAPI
operation, whose error codes are derived from what can really be raised.

    @api.route("/api/v1/things", method="POST", summary="Create a thing", security=BEARER,
               body=CreateThingSchema, ok=(ThingSchema, "Created"), raises=(THING_EXISTS,))
    def create_thing(runtime, caller, body):
        return runtime.things.create(caller, body)

The handler names what it needs among `runtime` (the provider's state),
`caller` (what the security check returned), `body`, `query` and the path
parameters, each annotated with its type (the provider's runtime class, its
caller's), so a reader or an IDE can walk from a handler to its service; it
returns what the provider's `reply` wraps.
"""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, current_app, request

from sandbox.core import faults
from sandbox.core.errors import DOCUMENTED, INFERRED, ApiError, Condition
from sandbox.core.http import json_object_body, multipart_files
from sandbox.core.openapi import ApiDocument, Example, flask_rule_to_openapi, path_slug
from sandbox.core.schemas import BODY, QUERY, ApiSchema

CONTROL_ROOT = "/_sandbox"
#: where an app keeps its running sandbox (core.runtime.Sandbox): app.extensions[EXTENSION]
EXTENSION = "sandbox"
#: what a request learns on the way, for the journal (sandbox/observe.py), in its WSGI environ
OBSERVED_OWNER, OBSERVED_PROBLEMS, OBSERVED_FAULT = "sandbox.owner", "sandbox.problems", "sandbox.fault"
#: the sandbox's own server (sandbox/server.py) offers, in the environ, a list of jobs to run once the
#: answer is written: what the answer does not depend on (the journal, the request line) waits there,
#: off the time a client waits; under any other server it is absent and such work is done at once
AFTER_ANSWER = "sandbox.after_answer"
#: set (True) on a declared operation's view: it reads nothing of Flask's per-request machinery
#: but `request` and `current_app`, so the app may take it the short way (sandbox/dispatch.py)
DECLARED = "sandbox_declared"
#: set (True) on the view of an operation declared `may_wait`: its answer may wait for wall-clock time
MAY_WAIT = "sandbox_may_wait"


@dataclass(frozen=True)
class Security:
    """How an operation authenticates: its OpenAPI requirement, the check
    that returns the caller from (runtime, request), and what it answers
    when the check fails."""

    requirement: list[dict]
    check: Callable[[Any, Any], Any] | None = None
    raises: tuple[Condition, ...] = ()


PUBLIC = Security(requirement=[])


@dataclass(frozen=True)
class Operation:
    """Where a served endpoint sits in its provider's document."""

    provider: str
    path: str
    method: str
    #: the schema instances its view loads the body and the query with (None: it takes none)
    body: ApiSchema | None = None
    query: ApiSchema | None = None
    example: Example | None = None


@dataclass
class Api:
    """A provider's endpoints: the Flask blueprints it serves (its API under
    /<name>, its sandbox controls under /_sandbox/<name>) and its document."""

    name: str
    errors: type[ApiError]
    document: ApiDocument
    #: wraps a handler's return value (and the declared status) into a response
    reply: Callable[[Any, int], Response]
    #: OpenAPI headers (name -> header object) on every answer of every operation,
    #: for a provider whose reply and envelope send one on each (e.g. a request id)
    response_headers: dict[str, dict] = field(default_factory=dict)
    #: how the reply's envelope documents a success body of `schema` (named `name`);
    #: None: the body is the schema itself (no success envelope)
    success_envelope: Callable[[str, type], Any] | None = None
    #: what handlers get as `runtime`, from the running sandbox (default: this provider's runtime)
    runtime_of: Callable[[Any], Any] | None = None
    #: where the API and its controls are mounted (default /<name> and /_sandbox/<name>)
    prefix: str = ""
    control_prefix: str = ""
    operations: dict[str, Operation] = field(default_factory=dict)
    #: core's controls of this provider (core.controls.TenantControls), once declared
    tenant_controls: Any = None
    #: how it answers a fault injected on purpose (its codes and headers per status)
    fault_shapes: faults.FaultShapes = field(default_factory=faults.FaultShapes)

    def __post_init__(self):
        self.prefix = self.prefix or f"/{self.name}"
        self.control_prefix = self.control_prefix or f"{CONTROL_ROOT}/{self.name}"
        self.blueprint = Blueprint(self.name, __name__)
        self.control = Blueprint(f"{self.name}_control", __name__)

    def success(self, name: str, schema: type) -> Any:
        """The documented success body of a handler returning `schema`'s data, in the provider's envelope."""
        return self.success_envelope(name, schema) if self.success_envelope else schema

    def runtime(self) -> Any:
        """What this request's handler gets as `runtime`."""
        sandbox = current_app.extensions[EXTENSION]
        return self.runtime_of(sandbox) if self.runtime_of else sandbox.runtime(self.name)

    def _observe(self, sandbox: Any, req: Any, caller: Any) -> Response | None:
        """Note whose call this is; a fault its tenant injected answers instead (or first waits)."""
        controls = self.tenant_controls
        owner = controls.owner_of(caller) if caller is not None and controls is not None else None
        req.environ[OBSERVED_OWNER] = owner
        return self._fault(sandbox, req, owner) if owner is not None else None

    def _fault(self, sandbox: Any, req: Any, owner: str | None) -> Response | None:
        """The answer of a fault on this call: one on every tenant's calls (owner None), or the owner's own."""
        fault = sandbox.faults.strike(self.name, owner, req.method, req.path, only=owner)
        if fault is None:
            return None
        req.environ[OBSERVED_FAULT] = fault.id
        return faults.answer(fault, sandbox.faults, self.errors, self.fault_shapes)

    def _view(self, handler: Callable, *, security: Security, status: int, control: bool,
              body_schema: ApiSchema | None, body_context: Callable | None, body_optional: bool,
              parse_float: Callable, files: str | None, query_schema: ApiSchema | None) -> Callable:
        """The Flask view of one declared operation. What the declaration
        knows is settled here, once: which arguments the handler takes, how
        its body and query are read; a request pays only for what it declares."""
        wants = frozenset(inspect.signature(handler).parameters)
        takes_runtime, takes_caller = "runtime" in wants, "caller" in wants
        path_wanted = wants - {"runtime", "caller", "body", "query", "files"}
        check = security.check
        runtime_of = self.runtime_of
        name = self.name
        reply = self.reply
        load_body = body_schema.load_request if body_schema is not None else None
        load_query = query_schema.load_request if query_schema is not None else None
        query_payload = query_schema.query_payload if query_schema is not None else None

        def view(**path_args):
            req = request._get_current_object()  # one request object, not a proxy lookup per use
            sandbox = current_app.extensions[EXTENSION]
            runtime = runtime_of(sandbox) if runtime_of else sandbox.runtime(name)
            if not control:  # a fault on every tenant's calls answers even before the credential is read
                answered = self._fault(sandbox, req, None)
                if answered is not None:
                    return answered
            caller = check(runtime, req) if check is not None else None
            if not control:  # a provider's own call: whose it is (the journal), and a tenant's own fault
                answered = self._observe(sandbox, req, caller)
                if answered is not None:
                    return answered
            kwargs = {}
            if takes_runtime:
                kwargs["runtime"] = runtime
            if takes_caller:
                kwargs["caller"] = caller
            if load_body is not None:
                context = body_context(runtime, caller) if body_context else None
                sent = not body_optional or req.get_data(cache=True)
                kwargs["body"] = load_body(json_object_body(req, parse_float) if sent else {}, context)
            if files is not None:
                kwargs["files"] = multipart_files(req, files)
            if load_query is not None:
                kwargs["query"] = load_query(query_payload(req.args))
            if path_args:  # a path parameter the handler does not name is its scope's (read by the security check)
                for key, value in path_args.items():
                    if key in path_wanted:
                        kwargs[key] = value
            return reply(handler(**kwargs), status)

        return view

    def owns(self, path: str) -> bool:
        return any(path == p or path.startswith(p + "/") for p in (self.prefix, self.control_prefix))

    def route(
        self,
        rule: str,
        *,
        method: str,
        summary: str,
        security: Security,
        ok: tuple[Any, str],
        status: int = 200,
        body: type[ApiSchema] | None = None,
        query: type[ApiSchema] | None = None,
        body_context: Callable[[Any, Any], Any] | None = None,
        body_optional: bool = False,
        parse_float: Callable[[str], Any] = Decimal,
        request_body: dict | None = None,
        files: str | None = None,
        files_count: tuple[int, int | None] = (1, None),
        media_type: str = "application/json",
        raises: Iterable[Condition] = (),
        headers: Iterable[dict] = (),
        aliases: Iterable[str] = (),
        tags: Iterable[str] = (),
        description: str = "",
        provenance: str = DOCUMENTED,
        source: str | None = None,
        deprecated: bool = False,
        control: bool = False,
        may_wait: bool = False,
        example: Example | None = None,
        links: dict[str, dict] | None = None,
    ) -> Callable:
        """Serve and document one endpoint (and its aliases, marked inferred).

        `ok` is (response schema or None for no body, description) of the success answer.
        `body_context(runtime, caller)` gives the body schema's validators
        what they need from the state (see ApiSchema.context). `control`
        mounts it under /_sandbox/<provider> instead of the provider's API.
        `body_optional`: a request with no body at all is validated as `{}`.
        `parse_float`: what a JSON number with a fraction becomes (default Decimal, exact).
        `request_body`: the OpenAPI requestBody of a body the handler reads itself
        (one no JSON schema describes, e.g. YAML).
        `headers`: OpenAPI parameter objects of request headers the handler reads.

        `files` names the multipart/form-data field of an upload (instead of
        a JSON `body`): the handler's `files` is the list of uploaded files;
        `files_count` is how many it takes (at least, at most or None).
        `media_type` is the success answer's type when it is not JSON.

        `may_wait`: answering it may wait for wall-clock time (the clock's `settle`
        waits for webhook deliveries): the server runs it on a worker thread, not on
        the loop that answers everyone else.

        `example` is a request the server accepts on the default scenario
        (core.openapi.Example). `links` are OpenAPI link objects on the
        success answer (name -> {"operationId", "parameters"/"requestBody"}):
        how a value it returns feeds another operation, which is what the
        stateful phase of schemathesis follows."""
        body_schema = body() if body else None
        query_schema = query() if query else None
        for schema in (body_schema, query_schema):
            if schema is not None:
                schema.fast_lane()  # compiled once, here
        raises, headers, tags, aliases = tuple(raises), tuple(headers), tuple(tags), tuple(aliases)

        @functools.cache
        def responses() -> dict:
            """The operation's responses, written when its document is first built (not at start-up)."""
            conditions = [*security.raises]
            if body_schema or files:
                conditions += self.errors.catalogue.transport.body_conditions()
            if body_schema:
                conditions += body_schema.conditions(BODY)
            if query_schema:
                conditions += query_schema.conditions(QUERY)
            conditions += raises
            if "<" in rule:  # a path parameter that does not fit its converter matches no route: 404
                conditions.append(self.errors.catalogue.transport.not_found)
            success: dict[str, Any] = {"description": ok[1]}
            if ok[0] is not None:  # None: an answer with no body (204)
                success["content"] = {media_type: {"schema": ok[0]}}
            if links:
                success["links"] = links
            written = {str(status): success, **self.errors.catalogue.responses(conditions)}
            if self.response_headers:
                for response in written.values():
                    response["headers"] = copy.deepcopy(self.response_headers)
            return written

        blueprint = self.control if control else self.blueprint

        def decorate(handler: Callable) -> Callable:
            view = self._view(handler, security=security, status=status, control=control, body_schema=body_schema,
                              body_context=body_context, body_optional=body_optional, parse_float=parse_float,
                              files=files, query_schema=query_schema)
            view.__name__ = handler.__name__
            setattr(view, DECLARED, True)
            setattr(view, MAY_WAIT, may_wait)
            for i, path in enumerate((rule, *aliases)):
                endpoint = f"{handler.__name__}_{i}"
                blueprint.add_url_rule(path, endpoint=endpoint, view_func=view, methods=[method])
                def spec(i: int = i, path: str = path) -> dict:
                    """This path's OpenAPI operation (the document calls it when first built)."""
                    op: dict[str, Any] = {
                        "operationId": handler.__name__ if i == 0 else f"{handler.__name__}_{path_slug(path)}",
                        "summary": summary,
                        "tags": list(tags),
                        "responses": copy.deepcopy(responses()),
                        "x-provenance": provenance if i == 0 else INFERRED,
                    }
                    if description or i > 0:
                        op["description"] = (f"Same as `{rule}`. " if i > 0 else "") + description
                    if source:
                        op["x-source"] = source
                    if deprecated:
                        op["deprecated"] = True
                    op["security"] = security.requirement
                    if control:
                        op["servers"] = [{"url": self.control_prefix}]
                    if query is not None:
                        op["parameters"] = [{"in": "query", "schema": query}]
                    if headers:
                        op["parameters"] = [*op.get("parameters", []), *({"in": "header", **h} for h in headers)]
                    if body is not None:
                        op["requestBody"] = {"required": not body_optional,
                                             "content": {"application/json": {"schema": body}}}
                    if request_body is not None:
                        op["requestBody"] = request_body
                    if files is not None:
                        count = {"minItems": files_count[0]} | ({"maxItems": files_count[1]} if files_count[1] else {})
                        upload = {"type": "object", "required": [files], "properties": {
                            files: {"type": "array", "items": {"type": "string", "format": "binary"}, **count}}}
                        op["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": upload}}}
                    return op

                openapi_path, params = flask_rule_to_openapi(path)
                self.document.add(openapi_path, method.lower(), spec, params, example)
                self.operations[f"{blueprint.name}.{endpoint}"] = Operation(
                    self.name, openapi_path, method.lower(), body_schema, query_schema, example)
            return handler

        return decorate
