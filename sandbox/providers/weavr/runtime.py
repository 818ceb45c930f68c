"""Weavr's state in one running sandbox: its collections and services."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.core.context import Context, ProviderRuntime
from sandbox.providers.weavr import constants as k
from sandbox.providers.weavr.services.auth import TOKEN_INDEXES, AuthService
from sandbox.providers.weavr.services.consumers import CONSUMER_INDEXES, ConsumerService
from sandbox.providers.weavr.services.idempotency import IDEMPOTENCY_INDEXES, Idempotency
from sandbox.providers.weavr.services.money import ACCOUNT_INDEXES, MoneyService
from sandbox.providers.weavr.services.notify import Notifier


@dataclass
class WeavrRuntime(ProviderRuntime):
    auth: AuthService
    consumers: ConsumerService
    money: MoneyService
    notify: Notifier


def build(context: Context) -> WeavrRuntime:
    store = context.store
    tokens = store.collection("weavr.tokens", TOKEN_INDEXES)
    consumers = store.collection("weavr.consumers", CONSUMER_INDEXES, first_id=k.FIRST_CONSUMER_ID)
    accounts = store.collection("weavr.accounts", ACCOUNT_INDEXES, first_id=k.FIRST_ACCOUNT_ID)
    charges = store.collection("weavr.fee_charges", first_id=k.FIRST_TRANSACTION_ID)
    idempotency = Idempotency(context, store.collection("weavr.idempotency", IDEMPOTENCY_INDEXES))
    auth = AuthService(context, tokens)
    notify = Notifier(context)
    consumer_service = ConsumerService(context, consumers, auth, idempotency, notify)
    return WeavrRuntime(
        context=context,
        auth=auth,
        consumers=consumer_service,
        money=MoneyService(context, accounts, charges, consumer_service, idempotency, notify),
        notify=notify,
    )
