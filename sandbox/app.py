"""The application factory."""

from __future__ import annotations

import logging

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from sandbox import admin
from sandbox.config import Config
from sandbox.core.errors import ApiError, transport_error
from sandbox.core.provider import Provider
from sandbox.core.runtime import Sandbox, sandbox_of
from sandbox.providers import PLANNED, PROVIDERS

log = logging.getLogger(__name__)


def create_app(config: Config | None = None, providers: tuple[Provider, ...] = PROVIDERS) -> Flask:
    config = config or Config()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.json.sort_keys = False  # keep each provider's documented key order
    app.extensions["sandbox"] = Sandbox(config, providers, PLANNED)

    app.register_blueprint(admin.blueprint)
    for provider in providers:
        api = provider.api
        app.register_blueprint(api.blueprint, url_prefix=api.prefix)
        app.register_blueprint(api.control, url_prefix=api.control_prefix)
        app.add_url_rule(f"{api.prefix}/openapi.json", endpoint=f"{provider.name}_openapi",
                         view_func=lambda api=api: api.document.as_dict())

    _register_error_handlers(app)
    return app


def _errors_for_path(path: str) -> type[ApiError]:
    """The error class (envelope) of whoever owns a path: a provider, or the sandbox itself."""
    provider = sandbox_of().provider_for(path)
    return provider.errors if provider else admin.SandboxError


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        return exc.to_response()

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return transport_error(_errors_for_path(request.path), exc).to_response()

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        errors = _errors_for_path(request.path)
        return errors.of(errors.catalogue.transport.unexpected).to_response()
