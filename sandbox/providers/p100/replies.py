"""P100's success answers: plain JSON, as P100 answers (no success envelope),
and the two HTML pages of KYC Method B (the redirect's loading page and the
sandbox's stand-in for the KYC vendor's page)."""

from __future__ import annotations

from html import escape

from flask import Response, jsonify

from sandbox.providers.p100 import constants as k


def reply(result, status: int) -> Response:
    """A handler's dict as JSON; a Response (an HTML page, a 202) as it is."""
    if isinstance(result, Response):
        return result
    response = jsonify(result)
    response.status_code = status
    return response


def html(page: str) -> Response:
    return Response(page, status=200, mimetype="text/html")


def redirect_page(verification: dict) -> Response:
    """A loading page that sends the browser on to the verification's KYC page, as
    P100's does (to iDenfy there, to the sandbox's page here)."""
    target = escape(k.VERIFICATION_PAGE.format(verification_id=verification["verificationId"]))
    return html(f"<!doctype html><html><head><meta charset=\"utf-8\"><title>P100 verification</title>"
                f"<meta http-equiv=\"refresh\" content=\"0; url={target}\"></head>"
                f"<body><p>Loading verification&hellip; <a href=\"{target}\">continue</a></p></body></html>")


def vendor_page(verification: dict) -> Response:
    """The sandbox's KYC vendor page: how to decide this verification with a control."""
    user = escape(verification["externalUserId"])
    return html("<!doctype html><html><head><meta charset=\"utf-8\"><title>Sandbox KYC</title></head><body>"
                f"<h1>Sandbox KYC for {user}</h1><p>Verification {escape(verification['verificationId'])}. "
                f"Decide it with <code>POST /_sandbox/p100/users/{user}/kyc</code> and your x-api-key, e.g. "
                "<code>{\"verificationStatus\": \"VERIFIED\", \"attemptStatus\": \"SUCCESSFUL\"}</code>."
                "</p></body></html>")
