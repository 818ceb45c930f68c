"""Reading a JSON request body strictly; every failure is a typed HTTP error
that the owning provider turns into its own envelope."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import orjson
from flask import Request, Response
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest, UnsupportedMediaType


class MalformedJson(BadRequest):
    description = "The request body is not valid JSON."


class NotAJsonObject(BadRequest):
    description = "The request body must be a JSON object."


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def json_object_body(request: Request, parse_float=Decimal) -> dict:
    """The body as a dict; numbers with a fraction come back as Decimal (or
    as `parse_float` makes them)."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("Send the body as application/json.")
    if request.content_encoding not in (None, "", "identity"):
        raise UnsupportedMediaType("Send the body without Content-Encoding.")
    raw = request.get_data(cache=True)  # raises 413 past MAX_CONTENT_LENGTH
    body = _parsed(raw, parse_float)
    if not isinstance(body, dict):
        raise NotAJsonObject()
    return body


def _parsed(raw: bytes, parse_float) -> object:
    """orjson where it gives exactly what the stdlib would: a body it reads
    without a float (a number with a fraction or an exponent, or an integer
    beyond 64 bits, which orjson makes a float: the stdlib keeps it exact as a
    Decimal or an int); else the stdlib. Any body orjson refuses is judged by
    the stdlib, so what is malformed stays what it always was."""
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    else:
        if parse_float is float or not _holds_float(body):
            return body
    try:
        body = json.loads(raw.decode("utf-8"), parse_float=parse_float, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise MalformedJson() from exc
    if _SURROGATE_ESCAPE.search(raw) and not _well_formed(body):
        raise MalformedJson()  # a lone surrogate (\ud800) is no Unicode text: nothing can store or send it
    return body


#: a surrogate written as an escape: a lone one is not text (orjson refuses it; the stdlib would not)
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _holds_float(value) -> bool:
    """Walked without recursion: orjson reads up to 1024 levels, deeper than Python's own stack limit."""
    pending = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is float:
            return True
        if kind is dict:
            pending.extend(item.values())
        elif kind is list:
            pending.extend(item)
    return False


def _well_formed(value) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_well_formed(k) and _well_formed(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_well_formed(item) for item in value)
    return True


def multipart_files(request: Request, name: str) -> list:
    """The files uploaded under form field `name` of a multipart/form-data
    body (possibly none: the handler decides whether that is an error)."""
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType("Send the files as multipart/form-data.")
    return request.files.getlist(name)  # parsing raises 413 past MAX_CONTENT_LENGTH


class OrjsonProvider(DefaultJSONProvider):
    """Flask's JSON answers, written by orjson (several times faster than the
    stdlib encoder). Key order is kept; what orjson does not know (Decimal,
    dates as Flask writes them) goes through Flask's own `default`."""

    def dumps(self, obj, **kwargs) -> str:
        return self._encode(obj).decode()

    def response(self, *args, **kwargs) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(self._encode(obj) + b"\n", mimetype=self.mimetype)  # as Flask ends it

    def _encode(self, obj) -> bytes:
        try:
            return orjson.dumps(obj, default=self.default)
        except TypeError:  # beyond orjson: an integer over 64 bits (JSON has no limit)
            return super().dumps(obj).encode()
