"""Records every error code an operation answers during the test run, so a
check at the end can hold each against that operation's x-error-codes."""

from __future__ import annotations

from collections import defaultdict

import orjson
from werkzeug.exceptions import HTTPException

from sandbox.core.faults import FAULT_HEADER


class AnsweredCodes:
    def __init__(self, providers):
        self.providers = {p.name: p for p in providers}
        self.operations = {endpoint: op for p in providers for endpoint, op in p.api.operations.items()}
        #: (provider, path, method) -> {(status, code)}
        self.seen: dict[tuple[str, str, str], set[tuple[int, str]]] = defaultdict(set)

    def install(self, app) -> None:
        """Around the WSGI app, not as an after_request hook: an app with a hook
        takes Flask's long way (sandbox/dispatch.py), and the suite must drive
        the short way every served request takes."""
        inner, routes = app.wsgi_app, app.url_map.bind("localhost")

        def recorded(environ, start_response):
            answered = []

            def start(status, headers, exc_info=None):
                answered[:] = [int(status.split(" ", 1)[0]), dict(headers)]
                return start_response(status, headers, exc_info)

            chunks = inner(environ, start)
            body = b"".join(chunks)
            if hasattr(chunks, "close"):
                chunks.close()
            self._record(routes, environ, *answered, body)
            return [body]

        app.wsgi_app = recorded

    def _record(self, routes, environ: dict, status: int, headers: dict, body: bytes) -> None:
        try:
            endpoint, _ = routes.match(environ["PATH_INFO"].encode("latin-1").decode("utf-8", "replace"),
                                       environ["REQUEST_METHOD"])
        except HTTPException:
            return
        op = self.operations.get(endpoint)
        injected = FAULT_HEADER in headers  # a fault's answer: said once per document, not per operation
        if op is not None and status >= 400 and "json" in headers.get("Content-Type", "") and not injected:
            envelope = self.providers[op.provider].errors.catalogue.envelope
            for code in envelope.codes_in(orjson.loads(body)):
                self.seen[(op.provider, op.path, op.method)].add((status, code))

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
