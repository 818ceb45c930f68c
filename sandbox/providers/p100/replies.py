"""P100's success answers: plain JSON, as P100 answers (no success envelope)."""

from __future__ import annotations

from flask import Response, jsonify


def reply(result, status: int) -> Response:
    """A handler's dict as JSON; a Response (an HTML page, a 202) as it is."""
    if isinstance(result, Response):
        return result
    response = jsonify(result)
    response.status_code = status
    return response
