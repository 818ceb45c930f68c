"""The sandbox's own endpoints: health and the /_sandbox control plane.

Provider-specific controls (e.g. moving an Ibanera managee's KYC) live in
the provider's package and answer in the provider's envelope."""

from __future__ import annotations

import time

from flask import Blueprint, current_app, jsonify
from werkzeug.exceptions import HTTPException

from sandbox import __version__

blueprint = Blueprint("sandbox_admin", __name__)


def _sandbox():
    return current_app.extensions["sandbox"]


@blueprint.get("/healthz")
def healthz():
    sandbox = _sandbox()
    return jsonify(
        status="ok",
        version=__version__,
        scenario=sandbox.scenario.name,
        providers=sorted(sandbox.providers),
    )


@blueprint.post("/_sandbox/reset")
def reset():
    started = time.perf_counter()
    sandbox = _sandbox()
    sandbox.reset()
    return jsonify(status="reset", scenario=sandbox.scenario.name, tookMs=round((time.perf_counter() - started) * 1000, 3))


def http_error(exc: HTTPException):
    response = jsonify(error={"status": exc.code, "code": exc.name.lower().replace(" ", "_"), "message": exc.description})
    response.status_code = exc.code or 500
    for name, value in exc.get_headers():
        if name.lower() == "allow":
            response.headers[name] = value
    return response


def unexpected_error():
    response = jsonify(error={"status": 500, "code": "internal_error", "message": "The sandbox hit a bug."})
    response.status_code = 500
    return response
