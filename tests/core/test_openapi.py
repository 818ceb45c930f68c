"""Every provider's OpenAPI document: generated from its schemas, valid,
exported and current, with the provenance of every code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from sandbox.core import openapi
from sandbox.core.errors import DOCUMENTED, PROVENANCES
from sandbox.providers import PROVIDERS as SERVED

ROOT = Path(__file__).resolve().parents[2]
EXPORTED = ROOT / "openapi"
SERVED_FILES = sorted(p.stem for p in EXPORTED.glob("*.json"))


@pytest.fixture
def document(client, harness):
    response = client.get(f"/{harness.provider.name}/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def entries(document) -> list[dict]:
    return document["x-error-codes"] + [
        entry for path in document["paths"].values() for op in path.values() if isinstance(op, dict)
        for response in op.get("responses", {}).values() for entry in response.get("x-error-codes", [])]


def test_document_is_valid_openapi(document, harness):
    validate(document)
    assert document["servers"] == [{"url": f"/{harness.provider.name}"}]


def test_export_writes_a_current_valid_file(document, harness, tmp_path):
    name = harness.provider.name
    (written,) = openapi.export({name: document}, tmp_path)
    validate(json.loads(written.read_text()))
    assert openapi.stale({name: document}, tmp_path) == []
    written.write_text("{}")
    assert openapi.stale({name: document}, tmp_path) == [name]


def test_every_code_has_its_provenance(document, harness):
    code_key = harness.provider.errors.catalogue.envelope.code_key
    codes = document["x-error-codes"]
    assert codes and all(isinstance(e["status"], int) and e["when"] for e in codes)
    for entry in entries(document):
        assert entry[code_key] and entry["x-provenance"] in PROVENANCES, entry
        if entry["x-provenance"] == DOCUMENTED:
            assert entry["x-source"].startswith("https://"), entry


def test_every_error_response_uses_the_providers_envelope(document, harness):
    envelope = harness.provider.errors.catalogue.envelope.schema_name.removesuffix("Schema")
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            if method == "parameters":
                continue
            for status, response in op["responses"].items():
                if int(status) < 400:
                    continue
                assert response["x-error-codes"], (path, method, status)
                if "content" in response:  # some answers have no body (Envelope.bodiless)
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref == f"#/components/schemas/{envelope}", (path, method, status)


#: where each exported document is served: a provider's at /<name>/openapi.json, the sandbox's own at /_sandbox/
SERVED_AT = {p.name: f"/{p.name}/openapi.json" for p in SERVED} | {"sandbox": "/_sandbox/openapi.json"}
SERVED_AT |= {f"{p.name}.controls": f"/_sandbox/{p.name}/openapi.json" for p in SERVED}


@pytest.mark.parametrize("name", SERVED_FILES)
def test_exported_file_is_current(client, name):
    served = client.get(SERVED_AT[name]).get_json()
    # as text, as `openapi export --check` compares: the order of paths and keys is part of the file
    assert (EXPORTED / f"{name}.json").read_text() == openapi.render(served), \
        f"openapi/{name}.json is stale: run `fintech-sandbox openapi export`"


def test_every_served_provider_and_the_sandbox_itself_have_an_exported_file():
    assert SERVED_FILES == sorted(SERVED_AT)


def test_check_command_fails_on_a_stale_file(tmp_path):
    export_check = [sys.executable, "-m", "sandbox", "openapi", "export", "--check", "--out", str(tmp_path)]
    result = subprocess.run(export_check, capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode != 0 and "stale:" in result.stderr
    subprocess.run([*export_check[:-3], "--out", str(tmp_path)], check=True, capture_output=True, cwd=ROOT)
    assert subprocess.run(export_check, capture_output=True, cwd=ROOT, check=False).returncode == 0


def test_a_link_to_an_operation_the_document_lacks_is_refused_when_the_document_is_built():
    from sandbox.core.api import PUBLIC, Api
    from tests.toy.provider import GreetingReply, GreetingRequest, ToyError, reply

    api = Api(name="linked", errors=ToyError, reply=reply,
              document=openapi.ApiDocument(title="Linked", version="1", description="", server_url="/linked"))

    @api.route("/v1/greetings", method="POST", summary="Greet", security=PUBLIC, body=GreetingRequest,
               ok=(GreetingReply, "Greeted"),
               links={"Read": {"operationId": "read_greeting", "parameters": {"id": "$response.body#/id"}}})
    def greet(body):
        return body

    with pytest.raises(ValueError, match="read_greeting"):
        api.document.as_dict()


def test_an_optional_nested_object_is_that_object_or_null_not_any_object():
    from marshmallow import Schema, fields

    from sandbox.core.api import PUBLIC, Api
    from tests.toy.provider import GreetingReply, GreetingRequest, ToyError, reply

    class Address(Schema):
        city = fields.String(required=True)

    class Moving(GreetingRequest):
        address = fields.Nested(Address, allow_none=True)

    api = Api(name="nested", errors=ToyError, reply=reply,
              document=openapi.ApiDocument(title="Nested", version="1", description="", server_url="/nested"))
    api.route("/v1/moves", method="POST", summary="Move", security=PUBLIC, body=Moving,
              ok=(GreetingReply, "Moved"))(lambda body: body)
    document = api.document.as_dict()
    address = document["components"]["schemas"]["Moving"]["properties"]["address"]
    assert address == {"allOf": [{"$ref": "#/components/schemas/Address"}], "nullable": True}
    validate(document)
