"""Ibanera's success envelope (https://customer-api-docs.ibanera.com/getting-started/common-response-format):
    {"id": 0, "details": ..., ["pageSize", "pageNumber", "numberOfPages",] "status": "1", "errors": []}
and, for calls with nothing to return, {"id": 0, "status": "1", "errors": []}."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Response, jsonify


@dataclass(frozen=True)
class Paging:
    page_number: int
    page_size: int
    number_of_pages: int


@dataclass(frozen=True)
class Reply:
    """What a handler returns when the envelope needs more than `details`."""

    details: Any = None
    id: int = 0
    paging: Paging | None = None


#: a handler's return value for "success, no details"
NO_DETAILS = object()


def reply(result: Any, status: int) -> Response:
    if result is NO_DETAILS:
        body: dict = {"id": 0, "status": "1", "errors": []}
    else:
        result = result if isinstance(result, Reply) else Reply(result)
        body = {"id": result.id, "details": result.details}  # key order as the docs show it
        if result.paging:
            body |= {"pageSize": result.paging.page_size, "pageNumber": result.paging.page_number,
                     "numberOfPages": result.paging.number_of_pages}
        body |= {"status": "1", "errors": []}
    response = jsonify(body)
    response.status_code = status
    return response
