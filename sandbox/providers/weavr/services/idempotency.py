"""`idempotency-ref` [spec]: "taking into consideration the payload as well
as the operation itself", a reference stays unique for at least 24 hours.

Weavr's own sandbox [QA, ChargeConsumerFeesTests]: the same reference and
payload within 24 h of sandbox time answers the first success again, with no
second side effect; the same reference with another payload is a 400 (not a
second consumer or a second charge); a reference of 8,000 characters is a 413
(the limit, k.IDEMPOTENCY_REF_MAX, is inferred). The key is (api-key,
operation, reference); the payload's digest is kept with it. Records live in
the store (reset clears them); the check, the operation and the record are
one transaction, so two concurrent duplicates run the operation once.
[inferred] Only successes are recorded: a refused request may be retried
with the same reference, with any payload."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from sandbox.core.context import Context
from sandbox.core.errors import Problem
from sandbox.core.store import Collection, Index
from sandbox.providers.weavr import constants as k
from sandbox.providers.weavr import errors as e
from sandbox.providers.weavr.errors import WeavrError

IDEMPOTENCY_INDEXES = (Index("key", ("key",), unique=True),)


class Idempotency:
    def __init__(self, context: Context, records: Collection):
        self.context = context
        self.records = records

    def run(self, tenant: str, reference: str | None, operation: str, payload: dict,
            execute: Callable[[], dict]) -> dict:
        if reference is None:
            return execute()
        if len(reference) > k.IDEMPOTENCY_REF_MAX:
            raise WeavrError.of(e.IDEMPOTENCY_REF_TOO_LONG)
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
        key = f"{operation}\n{reference}"
        with self.context.store.transaction():
            now = self.context.clock.timestamp()
            found = self.records.find(tenant, "key", key)
            if found is not None and now - found["at"] < k.IDEMPOTENCY_WINDOW_SECONDS:
                if found["digest"] != digest:
                    raise WeavrError([Problem(e.IDEMPOTENCY_REF_REUSED, k.IDEMPOTENCY_HEADER, {"values": []})])
                return found["result"]
            result = execute()
            record = {"key": key, "digest": digest, "at": now, "result": result}
            if found is None:
                self.records.insert(tenant, record)
            else:  # expired: the reference starts over
                self.records.update(tenant, found["id"], record)
            return result
