"""Prozora's callbacks and what it decides later: none. Its DCM
bank-integration documents no webhooks, and every customer operation is
decided in the request that makes it, so it has no outcome kinds and no
magic values (reference: ../shared/reference/prozora-customers.md)."""

from __future__ import annotations

from sandbox.core.outcomes import Kind, Magic
from sandbox.core.webhooks import WebhookPolicy

WEBHOOKS: WebhookPolicy | None = None
OUTCOMES: tuple[Kind, ...] = ()
MAGIC: tuple[Magic, ...] = ()
