"""Without its credentials every operation is refused the way Weavr refuses:
the document's own example request, sent with empty or unknown api-key /
programme-key / bearer token, is a 401 with `request-ref` and no body on the
Multi API [spec Unauthorized], a 401 `{code, message}` on the simulator (its
only error bodies are 400 and the default). With no api-key header at all,
the Multi API answers the gateway's 400 REQUIRED on `api-key` [QA, reference
§2 Style 1]. This is the auth-enforcement check for Weavr (schemathesis's
ignored_auth expects a 401/403 for the missing header: see
tests/weavr/schemathesis.toml); and the default scenario's partner (Ada) is
served."""

from __future__ import annotations

from tests.core.test_examples import example_request
from tests.weavr.client import KEY, MULTI, invalid_fields


def operations(client):
    document = client.get("/weavr/openapi.json").get_json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            base = (operation.get("servers") or document["servers"])[0]["url"]
            target, query, body, _ = example_request(path, item, operation)
            yield method, base + target, query, body, operation


def test_no_credentials_is_refused_in_weavrs_shape(client):
    seen = 0
    for method, url, query, body, operation in operations(client):
        response = client.open(url, method=method.upper(), query_string=query, json=body)
        if url.startswith("/weavr/simulate/"):
            assert response.status_code == 401 and set(response.get_json()) == {"code", "message"}, url
        else:
            assert invalid_fields(response) == [("api-key", "REQUIRED", [])], (method, url)
        for headers in ({"api-key": "", "programme-key": "", "Authorization": "Bearer "},
                        {"api-key": "nope", "programme-key": "nope", "Authorization": "Bearer nope"}):
            response = client.open(url, method=method.upper(), query_string=query, json=body, headers=headers)
            assert response.status_code == 401, (method, url, headers, response.get_data(as_text=True))
            assert response.headers["request-ref"]
            if url.startswith("/weavr/simulate/"):
                assert set(response.get_json()) == {"code", "message"}, url
            else:
                assert response.get_data() == b"", url
        seen += 1
    assert seen == 34  # Weavr's 19 operations and controls, core's 15 controls


def test_a_consumer_operation_wants_both_the_api_key_and_a_live_token(client):
    login = client.post(f"{MULTI}/login_with_password", headers={"api-key": KEY},
                        json={"email": "ada.lovelace@default.example", "password": {"value": "Passw0rd!"}})
    assert login.status_code == 200, login.get_json()
    token = {"Authorization": f"Bearer {login.get_json()['token']}"}
    assert invalid_fields(client.get(f"{MULTI}/consumers", headers=token)) == [("api-key", "REQUIRED", [])]
    assert client.get(f"{MULTI}/consumers", headers={"api-key": KEY}).status_code == 401
    response = client.get(f"{MULTI}/consumers", headers={"api-key": KEY, **token})
    assert response.status_code == 200 and response.get_json()["rootUser"]["email"] == "ada.lovelace@default.example"
