"""Reading a JSON request body strictly; every failure is a typed HTTP error
that the owning provider turns into its own envelope."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal

import msgspec
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
    """msgspec's reading, in one pass of C, where it is exactly the stdlib's
    (tests/core/test_json_body.py holds them equal): a number with a fraction
    or an exponent goes to `parse_float` as written (an exact Decimal), an
    integer of any length stays exact. Any body msgspec does not read (a
    malformed one, or a number it cannot hold) is judged by the stdlib, so
    what is malformed stays what it always was."""
    decode = _DECODERS.get(parse_float)
    if decode is None:
        decode = _DECODERS[parse_float] = msgspec.json.Decoder(
            float_hook=None if parse_float is float else parse_float).decode
    try:
        return decode(raw)
    except (msgspec.MsgspecError, RecursionError):
        pass
    try:
        body = json.loads(raw.decode("utf-8"), parse_float=parse_float, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise MalformedJson() from exc
    if _SURROGATE_ESCAPE.search(raw) and not _well_formed(body):
        raise MalformedJson()  # a lone surrogate (\ud800) is no Unicode text: nothing can store or send it
    return body


#: parse_float -> msgspec's reader handing it each number with a fraction or an exponent
_DECODERS: dict[Callable, Callable[[bytes], object]] = {}


#: a surrogate written as an escape: a lone one is not text (msgspec refuses it; the stdlib would not)
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


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
