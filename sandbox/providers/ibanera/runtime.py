"""Ibanera's state in one running sandbox: its collections and services."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.core.context import Context, ProviderRuntime
from sandbox.providers.ibanera import constants as k
from sandbox.providers.ibanera.services.auth import AuthService
from sandbox.providers.ibanera.services.managees import ACCOUNT_INDEXES, MANAGEE_INDEXES, ManageeService


@dataclass
class IbaneraRuntime(ProviderRuntime):
    auth: AuthService
    managees: ManageeService


def build(context: Context) -> IbaneraRuntime:
    store = context.store
    managers = store.collection("ibanera.managers", first_id=k.FIRST_MANAGER_ID)
    managees = store.collection("ibanera.managees", MANAGEE_INDEXES, first_id=k.FIRST_MANAGEE_ID)
    accounts = store.collection("ibanera.accounts", ACCOUNT_INDEXES, first_id=k.FIRST_ACCOUNT_ID)
    transactions = store.collection("ibanera.transactions", first_id=k.FIRST_TRANSACTION_ID)
    return IbaneraRuntime(
        context=context,
        auth=AuthService(context, managers),
        managees=ManageeService(context, managees, accounts, transactions, k.DEFAULT_SUPPORTED_COUNTRIES),
    )
