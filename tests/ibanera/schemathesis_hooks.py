"""Schemathesis hooks for openapi/ibanera.json (see tests/schemathesis_cli.py)."""

from __future__ import annotations

import schemathesis

from tests.schemathesis_hooks import call

LOGIN = {"username": "manager@example.com", "password": "sandbox-password", "otp": "123456"}


@schemathesis.auth()
class ManagerLogin:
    """The manager of the default scenario logs in, as a partner would."""

    def get(self, case, context):
        status, body = call("POST", "/ibanera/api/v1/public/auth/login", LOGIN)
        assert status == 200, body
        return body["details"]["accessToken"]

    def set(self, case, token, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}", "otp": "123456"}
