"""The application factory."""

from __future__ import annotations

import logging
import re

from flask import Flask, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

from sandbox import admin, observe, ui
from sandbox.config import Config
from sandbox.core.errors import ApiError, transport_error
from sandbox.core.http import OrjsonProvider
from sandbox.core.provider import Provider
from sandbox.core.runtime import Sandbox, sandbox_of
from sandbox.dispatch import LeanDispatch
from sandbox.providers import PLANNED, PROVIDERS

log = logging.getLogger(__name__)


class _LazyBuilderRule(Rule):
    """A URL rule whose URL builder (url_for's) is compiled the first time a
    URL is built from it: Werkzeug compiles one through `ast` for every rule as
    it is added, ~60 ms of start-up for ~170 rules, most never built."""

    def _compile_builder(self, append_unknown: bool = True):
        compiled = None

        def build(rule: Rule, **values):  # bound to the rule by Rule.compile
            nonlocal compiled
            if compiled is None:  # two threads at once may both compile: the same builder
                compiled = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            return compiled(**values)

        return build


class _SandboxFlask(LeanDispatch):
    json_provider_class = OrjsonProvider  # (not set on Flask itself: a partner's apps share the process)
    url_rule_class = _LazyBuilderRule

    def may_wait(self, environ: dict) -> bool:
        """Whether answering this request may wait for wall-clock time: a delay fault is
        armed, or its operation says so (the clock's settle). The server runs such a
        request on a worker thread, the rest on its loop."""
        return self.extensions["sandbox"].faults.any_delay() or self.route_may_wait(environ)

    def make_default_options_response(self):
        """OPTIONS on a served path: an empty 204 naming the allowed methods (Flask
        would answer 200 with an empty text/html body). Here, not in an
        after_request hook, which every request would pay for."""
        response = super().make_default_options_response()
        response.status_code = 204
        response.set_data(b"")
        response.headers.pop("Content-Type", None)
        return response


def create_app(config: Config | None = None, providers: tuple[Provider, ...] = PROVIDERS) -> Flask:
    config = config or Config()
    app = _SandboxFlask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    # "//" in a path: a 404 in the owner's envelope, not Werkzeug's 308 HTML redirect.
    app.url_map.merge_slashes = False
    app.extensions["sandbox"] = Sandbox(config, providers, PLANNED)

    app.register_blueprint(admin.api.blueprint, url_prefix=admin.api.prefix)
    app.add_url_rule(f"{admin.api.control_prefix}/openapi.json", endpoint="sandbox_openapi",
                     view_func=lambda: admin.api.document.as_dict())
    for provider in providers:
        api = provider.api
        app.register_blueprint(api.blueprint, url_prefix=api.prefix)
        app.register_blueprint(api.control, url_prefix=api.control_prefix)
        app.add_url_rule(f"{api.prefix}/openapi.json", endpoint=f"{provider.name}_openapi",
                         view_func=lambda provider=provider: provider.document_for(sandbox_of().runtime(provider.name)))
        app.add_url_rule(f"{api.control_prefix}/openapi.json", endpoint=f"{provider.name}_controls_openapi",
                         view_func=lambda provider=provider: provider.controls_document())

    app.register_blueprint(ui.blueprint)  # the landing page, the dashboard, the documents' reference
    _register_error_handlers(app)
    observe.install(app)  # also decides a transition the request made due before the answer goes out
    return app


def _errors_for_path(path: str) -> type[ApiError]:
    """The error class (envelope) of whoever owns a path: a provider, or the
    sandbox itself. "//ibanera//x" is still under /ibanera for this."""
    provider = sandbox_of().provider_for(re.sub("/{2,}", "/", path))
    return provider.errors if provider else admin.SandboxError


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        observe.refused(request.environ, exc.problems)
        return exc.to_response()

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return api_error(transport_error(_errors_for_path(request.path), exc))

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        errors = _errors_for_path(request.path)
        return api_error(errors.of(errors.catalogue.transport.unexpected))
