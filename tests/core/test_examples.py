"""Every operation of every provider's document carries an example, and the
server accepts it as written: right after a reset (the default scenario),
with the credentials a caller of that scenario sends, the example's path
parameters, query and body get the operation's documented success. The
request is built from the document alone, as a partner copying it would."""

from __future__ import annotations

import io

from tests.harness import PNG


def example_request(path: str, item: dict, operation: dict) -> tuple[str, dict, dict | None, dict | None]:
    """(path, query, JSON body, multipart files) from the operation's examples;
    an AssertionError names an input the document gives no example of."""
    values: dict[str, dict] = {"path": {}, "query": {}}
    for parameter in (*item.get("parameters", ()), *operation.get("parameters", ())):
        if parameter["in"] not in values:
            continue  # headers: the credentials
        if "example" in parameter:
            values[parameter["in"]][parameter["name"]] = parameter["example"]
        else:
            assert not parameter.get("required"), f"no example of required {parameter['in']} {parameter['name']}"
    for name, value in values["path"].items():
        path = path.replace("{" + name + "}", str(value))
    content = operation.get("requestBody", {}).get("content", {})
    body = files = None
    if "application/json" in content:
        assert "example" in content["application/json"] or not operation["requestBody"].get("required"), \
            "no example of the body"
        body = content["application/json"].get("example")
    if "multipart/form-data" in content:  # an upload: as many images as the field needs
        schema = content["multipart/form-data"]["schema"]
        files = {name: [(io.BytesIO(PNG), f"{name}-{i}.png") for i in range(field.get("minItems", 1))]
                 for name, field in schema["properties"].items()}
    return path, values["query"], body, files


def test_every_operation_has_an_example_the_server_accepts(harness, client, sandbox):
    name = harness.provider.name
    document = client.get(f"/{name}/openapi.json").get_json()
    refused, sent = [], 0
    total = sum(method != "parameters" for item in document["paths"].values() for method in item)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            sandbox.reset()
            label = f"{method.upper()} {path}"
            try:
                target, query, body, files = example_request(path, item, operation)
            except AssertionError as missing:
                refused.append(f"{label}: {missing}")
                continue
            base = (operation.get("servers") or document["servers"])[0]["url"]
            headers = harness.credentials(client, method, path)
            if files is not None:
                response = client.open(base + target, method=method.upper(), query_string=query, headers=headers,
                                       data=files, content_type="multipart/form-data")
            else:
                response = client.open(base + target, method=method.upper(), query_string=query, headers=headers,
                                       json=body)
            sent += 1
            success = {int(status) for status in operation["responses"] if status.startswith("2")}
            if "x-example-status" in operation:  # success needs state no scenario holds (a delivery's id)
                success = {operation["x-example-status"]}
            elif not success:  # an operation switched off by the provider (P100's card module): its documented refusal
                success = {int(status) for status in operation["responses"] if status not in ("401", "403", "404")}
            if response.status_code not in success:
                refused.append(f"{label}: {response.status_code} {response.get_data(as_text=True)[:300]}")
    assert not refused, f"{len(refused)} of {total} operations' examples missing or refused:\n" + "\n".join(refused)
    assert sent == total
