"""The dashboard: a landing page at / (HTML, or a JSON index), the page at
/_sandbox/ui (each provider's entities, journal, outbox and faults, per
tenant, with buttons for the controls) and each document's reference
(Swagger UI, served from its package). Server-rendered Jinja2 with htmx
vendored in static/; every button is a call the browser makes to the
control endpoint a client would call, so the page adds no path to state."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint

#: where the page and its fragments live (the request journal leaves them out)
PREFIX = "/_sandbox/ui"

blueprint = Blueprint("ui", __name__, template_folder="templates", static_folder="static",
                      static_url_path=f"{PREFIX}/static")



@blueprint.app_template_filter("pretty")
def pretty(value: Any) -> str:
    """JSON to read (indented), for a <pre>; Jinja escapes it."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


#: a token longer than this in a cell (an IBAN, an address, a GUID, WAITING_TO_BE_ACTIVATED) may break anywhere
LONG_TOKEN = 12


@blueprint.app_template_filter("long_token")
def long_token(value: Any) -> bool:
    """Whether a cell holds a token that may break anywhere: then a wide table
    fits its card at 1440 px, and no short word is broken to make it fit."""
    return any(len(word) > LONG_TOKEN for word in str(value).split())


from sandbox.ui import fragments, pages  # noqa: F401 (declare the routes on the blueprint)
