"""What core gives every provider the day it is registered: each operation
served as its document says, transport errors in the provider's own
envelope, and reset back to the scenario."""

from __future__ import annotations

from werkzeug.exceptions import MethodNotAllowed

from tests.harness import stored_records


def codes(response, harness) -> list[str]:
    return harness.provider.errors.catalogue.envelope.codes_in(response.get_json())


def transport(harness):
    return harness.provider.errors.catalogue.transport


def test_the_harness_has_a_valid_call_of_every_documented_operation(client, harness):
    document = client.get(f"/{harness.provider.name}/openapi.json").get_json()
    documented = {(method, path) for path, ops in document["paths"].items() for method in ops if method != "parameters"}
    assert set(harness.every_call(client)) == documented


def test_every_valid_call_succeeds(client, harness):
    for key, call in harness.every_call(client).items():
        response = call.send(client)
        assert call.succeeded(response), (key, response.get_json())


def test_unknown_path_under_the_provider(client, harness):
    name = harness.provider.name
    for path in (f"/{name}", f"/{name}/", f"/{name}/no/such/endpoint", f"/_sandbox/{name}/nothing-here"):
        response = client.post(path, json={})
        assert response.status_code == 404, path
        assert codes(response, harness) == [transport(harness).not_found.code], path


def unserved_method(app, path: str) -> str:
    """A method no route serves at this path (DELETE unless one does, as
    DELETE /users/<id> also matches /users/verification)."""
    adapter = app.url_map.bind("localhost")
    for method in ("DELETE", "PUT", "PATCH", "POST", "GET"):
        try:
            adapter.match(path, method=method)
        except MethodNotAllowed:
            return method
    raise AssertionError(f"every method is served at {path}")


def test_wrong_method_names_the_allowed_ones(client, harness):
    for call in harness.every_call(client).values():
        wrong = unserved_method(client.application, call.path)
        response = client.open(call.path, method=wrong, headers=call.headers)
        assert response.status_code == 405, call.path
        assert call.method.upper() in response.headers["Allow"]
        assert codes(response, harness) == [transport(harness).method_not_allowed.code]


def test_bodies_that_are_not_a_json_object(client, harness, sandbox):
    before = stored_records(sandbox)
    for call in (c for c in harness.every_call(client).values() if c.body is not None):
        before = stored_records(sandbox)
        for raw in (b"{", b"[1, 2]", b"\"text\"", b"null", b"\xff\xfe", b"{\"a\": NaN}"):
            response = client.open(call.path, method=call.method.upper(), data=raw, headers=call.headers,
                                   content_type="application/json")
            assert response.status_code == 400, (call.path, raw)
            assert codes(response, harness) == [transport(harness).malformed_json.code], (call.path, raw)
        response = client.open(call.path, method=call.method.upper(), data="a=1", headers=call.headers,
                               content_type="application/x-www-form-urlencoded")
        assert response.status_code == 415 and codes(response, harness) == [
            transport(harness).unsupported_media_type.code]
        assert stored_records(sandbox) == before


def test_body_over_the_limit(harness, tmp_path):
    from sandbox.app import create_app
    from sandbox.config import Config
    from tests.conftest import PROVIDERS

    client = create_app(Config(max_body_bytes=4096), PROVIDERS).test_client()
    for call in (c for c in harness.every_call(client).values() if c.body is not None):
        response = call.send(client, body={**call.body, "padding": "x" * 8192})
        assert response.status_code == 413, call.path
        assert codes(response, harness) == [transport(harness).too_large.code]


def test_reset_returns_to_the_scenario(client, harness, sandbox):
    baseline = stored_records(sandbox)
    for call in harness.every_call(client).values():
        if not call.path.endswith("/reset"):  # the provider's own tenant reset would undo the calls
            call.send(client)
    assert stored_records(sandbox) > baseline
    assert client.post("/_sandbox/reset").status_code == 200
    assert stored_records(sandbox) == baseline
    # and the provider serves as before
    for key, call in harness.every_call(client).items():
        assert call.succeeded(call.send(client)), key


def test_a_double_slash_is_a_404_in_the_envelope_not_a_redirect(client, harness):
    for call in harness.every_call(client).values():
        head, _, rest = call.path[1:].partition("/")
        doubled = f"/{head}//{rest}"  # (a leading "//" is a host to a test client: see test_server)
        response = client.open(doubled, method=call.method.upper(), headers=call.headers)
        assert response.status_code == 404, doubled
        assert codes(response, harness) == [transport(harness).not_found.code]


def test_options_is_an_empty_204_naming_the_methods(client, harness):
    for call in harness.every_call(client).values():
        response = client.options(call.path)
        assert response.status_code == 204 and response.get_data() == b"", call.path
        assert call.method.upper() in response.headers["Allow"] and "Content-Type" not in response.headers
