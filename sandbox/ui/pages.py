"""The pages a browser navigates to: the landing page (/, or its JSON index),
the dashboard's shell (/_sandbox/ui: what it shows comes in fragments that
carry the credentials the user gave it) and each document's reference."""

from __future__ import annotations

from dataclasses import asdict

from flask import abort, jsonify, render_template, request, send_from_directory

from sandbox import __version__
from sandbox.core.provider import Provider
from sandbox.core.runtime import Sandbox, sandbox_of
from sandbox.ui import PREFIX, blueprint
from sandbox.ui.access import admin_open, control_path

SWAGGER = f"{PREFIX}/swagger-ui"


def index(sandbox: Sandbox, base_url: str, admin: bool) -> dict:
    """What the landing page lists; the scenario, its credentials and the
    clock only where the global controls are open to the caller."""
    providers = [{
        "name": name, "title": provider.api.document.title,
        "baseUrls": [f"{base_url}{provider.api.prefix}{sub}" for sub in provider.client_bases],
        "document": f"{provider.api.prefix}/openapi.json",
        "controlsDocument": f"{provider.api.control_prefix}/openapi.json",
        "reference": f"{PREFIX}/reference/{name}",
    } for name, provider in sandbox.providers.items()]
    found = {
        "name": "fintech-sandbox", "version": __version__, "providers": providers,
        "links": {"dashboard": PREFIX, "sandboxDocument": "/_sandbox/openapi.json",
                  "sandboxReference": f"{PREFIX}/reference/sandbox", "health": "/healthz", "magic": "/_sandbox/magic",
                  "scenarios": "/_sandbox/scenarios", "journal": "/_sandbox/journal"},
        "scenario": None, "clock": None,
    }
    if admin:
        scenario = sandbox.scenario
        found["scenario"] = {
            "name": scenario.name, "description": scenario.description,
            "path": str(scenario.path) if scenario.path else None,
            "credentials": {name: provider.credentials(scenario.sections[name])
                            for name, provider in sandbox.providers.items()},
        }
        found["clock"] = sandbox.clock.view()
    return found


@blueprint.get("/")
def landing():
    sandbox = sandbox_of()
    found = index(sandbox, request.host_url.rstrip("/"), admin_open(sandbox, request))
    if request.accept_mimetypes.best_match(("text/html", "application/json")) == "application/json":
        return jsonify(found)
    return render_template("landing.html", index=found, admin_token=sandbox.config.admin_token is not None)


def credential_spec(provider: Provider) -> dict | None:
    """How the browser turns what the user types into the provider's credential headers."""
    if provider.dashboard is None:
        return None
    credential = provider.dashboard.credential
    return {"headers": credential.headers, "scope": credential.scope,
            "login": asdict(credential.login) if credential.login else None}


@blueprint.get(PREFIX)
def dashboard():
    sandbox = sandbox_of()
    providers = [{
        "name": name, "dashboard": provider.dashboard, "spec": credential_spec(provider),
        "control": control_path(provider),
    } for name, provider in sandbox.providers.items()]
    return render_template("dashboard.html", providers=providers, admin_token=sandbox.config.admin_token is not None)


@blueprint.get(f"{PREFIX}/reference/<name>")
def reference(name: str):
    """A document rendered by Swagger UI, from the package's own files (no network)."""
    sandbox = sandbox_of()
    if name == "sandbox":
        document, title = "/_sandbox/openapi.json", "fintech-sandbox"
    elif name in sandbox.providers:
        document, title = f"/{name}/openapi.json", sandbox.providers[name].api.document.title
    else:
        abort(404)
    return render_template("reference.html", document=document, title=title, swagger=SWAGGER)


@blueprint.get(f"{SWAGGER}/<path:filename>")
def swagger_file(filename: str):
    from swagger_ui_bundle import swagger_ui_path  # (importlib_resources: not at start-up)

    return send_from_directory(swagger_ui_path, filename, max_age=3600)
