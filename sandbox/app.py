"""The application factory."""

from __future__ import annotations

import logging

from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException

from sandbox import admin
from sandbox.config import Config
from sandbox.core.provider import ProviderError
from sandbox.core.runtime import Sandbox
from sandbox.providers import PLANNED, PROVIDERS

log = logging.getLogger(__name__)


def create_app(config: Config | None = None) -> Flask:
    config = config or Config()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.json.sort_keys = False  # keep each provider's documented key order
    app.extensions["sandbox"] = Sandbox(config, PROVIDERS, PLANNED)

    app.register_blueprint(admin.blueprint)
    for provider in PROVIDERS:
        for blueprint, prefix in provider.mounts:
            app.register_blueprint(blueprint, url_prefix=prefix)
        app.add_url_rule(
            f"/{provider.name}/openapi.json",
            endpoint=f"{provider.name}_openapi",
            view_func=lambda p=provider: p.api_doc.as_dict(),
        )

    _register_error_handlers(app)
    return app


def sandbox_of(app: Flask | None = None) -> Sandbox:
    return (app or current_app).extensions["sandbox"]


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ProviderError)
    def provider_error(exc: ProviderError):
        return exc.to_response()

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        provider = sandbox_of().provider_for(request.path)
        return provider.http_error(exc) if provider else admin.http_error(exc)

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        provider = sandbox_of().provider_for(request.path)
        return provider.unexpected_error() if provider else admin.unexpected_error()
