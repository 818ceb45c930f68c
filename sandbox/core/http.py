"""Reading a JSON request body strictly; every failure is a typed HTTP error
that the owning provider turns into its own envelope."""

from __future__ import annotations

import json
from decimal import Decimal

from flask import Request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType


class MalformedJson(BadRequest):
    description = "The request body is not valid JSON."


class NotAJsonObject(BadRequest):
    description = "The request body must be a JSON object."


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def json_object_body(request: Request) -> dict:
    """The body as a dict; numbers with a fraction come back as Decimal."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("Send the body as application/json.")
    raw = request.get_data(cache=True)  # raises 413 past MAX_CONTENT_LENGTH
    try:
        body = json.loads(raw.decode("utf-8"), parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise MalformedJson() from exc
    if not isinstance(body, dict):
        raise NotAJsonObject()
    return body


def multipart_files(request: Request, name: str) -> list:
    """The files uploaded under form field `name` of a multipart/form-data
    body (possibly none: the handler decides whether that is an error)."""
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType("Send the files as multipart/form-data.")
    return request.files.getlist(name)  # parsing raises 413 past MAX_CONTENT_LENGTH
