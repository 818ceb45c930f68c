"""Prozora answers with the bare JSON object (no envelope). Money is a JSON
number (CUST: balance_allowed "number", balance 1): Decimals go out as
numbers, exact since the sandbox keeps at most 15 significant digits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Response, jsonify


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def reply(result: Any, status: int) -> Response:
    response = jsonify(_plain(result))
    response.status_code = status
    return response
