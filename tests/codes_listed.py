"""Records every error code an operation answers during the test run, so a
check at the end can hold each against that operation's x-error-codes."""

from __future__ import annotations

from collections import defaultdict

from flask import request

from sandbox.core.faults import FAULT_HEADER


class AnsweredCodes:
    def __init__(self, providers):
        self.providers = {p.name: p for p in providers}
        self.operations = {endpoint: op for p in providers for endpoint, op in p.api.operations.items()}
        #: (provider, path, method) -> {(status, code)}
        self.seen: dict[tuple[str, str, str], set[tuple[int, str]]] = defaultdict(set)

    def install(self, app) -> None:
        app.after_request(self._record)

    def _record(self, response):
        op = self.operations.get(request.endpoint)
        injected = FAULT_HEADER in response.headers  # a fault's answer: said once per document, not per operation
        if op is not None and response.status_code >= 400 and response.is_json and not injected:
            envelope = self.providers[op.provider].errors.catalogue.envelope
            for code in envelope.codes_in(response.get_json()):
                self.seen[(op.provider, op.path, op.method)].add((response.status_code, code))
        return response

    def unlisted(self) -> list[str]:
        """Codes answered but not listed for their operation, with status, in its document."""
        missing = []
        for (name, path, method), answered in sorted(self.seen.items()):
            provider = self.providers[name]
            code_key = provider.errors.catalogue.envelope.code_key
            responses = provider.api.document.as_dict()["paths"][path][method]["responses"]
            listed = {(int(status), entry[code_key]) for status, r in responses.items()
                      for entry in r.get("x-error-codes", [])}
            missing += [f"{method.upper()} {name}{path}: {status} {code}" for status, code in sorted(answered - listed)]
        return missing
