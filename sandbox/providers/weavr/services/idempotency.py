"""`idempotency-ref` [spec]: "taking into consideration the payload as well
as the operation itself", a reference stays unique for at least 24 hours.

The key is (api-key, operation, reference, payload): the same key within 24 h
of sandbox time answers the first success again with no second side effect;
another payload is another operation. Records live in the store (reset
clears them); the check, the operation and the record are one transaction,
so two concurrent duplicates run the operation once. [inferred] Only
successes are recorded: a refused request may be retried with the same
reference."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from sandbox.core.context import Context
from sandbox.core.store import Collection, Index
from sandbox.providers.weavr import constants as k

IDEMPOTENCY_INDEXES = (Index("key", ("key",), unique=True),)


class Idempotency:
    def __init__(self, context: Context, records: Collection):
        self.context = context
        self.records = records

    def run(self, tenant: str, reference: str | None, operation: str, payload: dict,
            execute: Callable[[], dict]) -> dict:
        if reference is None:
            return execute()
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
        key = f"{operation}\n{reference}\n{digest}"
        with self.context.store.transaction():
            now = self.context.clock.timestamp()
            found = self.records.find(tenant, "key", key)
            if found is not None and now - found["at"] < k.IDEMPOTENCY_WINDOW_SECONDS:
                return found["result"]
            result = execute()
            if found is None:
                self.records.insert(tenant, {"key": key, "at": now, "result": result})
            else:  # expired: the reference starts over
                self.records.update(tenant, found["id"], {"at": now, "result": result})
            return result
