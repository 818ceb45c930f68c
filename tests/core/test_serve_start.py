"""Serving the default scenario loads only what serving needs: Faker, apispec
(the documents), PyJWT (Ibanera's tokens), phonenumbers (a phone number in a
request), filetype (uploads), isodate (a duration) and the Swagger UI bundle
wait for the first request that needs them (bench/startup.py times the start;
here what it loads, which does not depend on the machine's load). Checked in
a fresh interpreter, since this one has imported everything."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

PROBE = textwrap.dedent("""
    import json
    import sys

    from flask import url_for

    from sandbox.app import create_app

    LAZY = ("faker", "apispec", "jwt", "phonenumbers", "filetype", "swagger_ui_bundle", "isodate")
    seen = {}

    def loaded(moment):
        seen[moment] = sorted(name for name in LAZY if name in sys.modules)

    app = create_app()
    client = app.test_client()
    seen["healthz"] = client.get("/healthz").status_code
    loaded("serving")
    seen["document"] = client.get("/ibanera/openapi.json").status_code
    loaded("after a document")
    login = {"username": "manager@example.com", "password": "sandbox-password", "otp": "123456"}
    seen["login"] = client.post("/ibanera/api/v1/public/auth/login", json=login).status_code
    loaded("after a login")
    consumer = {"profileId": "1011", "ipAddress": "127.0.0.1", "rootUser": {
        "name": "Ada", "surname": "Byron", "email": "ada.byron@example.com",
        "mobile": {"countryCode": "+44", "number": "7700900123"}, "dateOfBirth": {"year": 1990, "month": 1, "day": 1},
        "address": {"addressLine1": "1 Main Street", "city": "London", "postCode": "N1 9GU", "country": "GB"}}}
    seen["consumer"] = client.post("/weavr/multi/consumers", json=consumer,
                                   headers={"api-key": "weavr-sandbox-api-key"}).status_code
    loaded("after a mobile number")
    with app.test_request_context():
        seen["url"] = url_for("ui.static", filename="ui.css")
    print(json.dumps(seen))
""")


def test_the_default_scenario_is_served_without_faker_documents_tokens_or_phones_until_a_request_needs_them():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["healthz"] == 200 and seen["serving"] == []
    assert seen["document"] == 200 and seen["after a document"] == ["apispec"]
    assert seen["login"] == 200 and seen["after a login"] == ["apispec", "jwt"]
    assert seen["consumer"] == 200 and seen["after a mobile number"] == ["apispec", "jwt", "phonenumbers"]
    assert seen["url"].endswith("/ui.css")  # a URL rule's builder, compiled on first use
