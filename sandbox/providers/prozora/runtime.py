"""Prozora's state in one running sandbox: its collections and services."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.core.context import Context, ProviderRuntime
from sandbox.providers.prozora.services.customers import ACCOUNT_INDEXES, CUSTOMER_INDEXES, CustomerService
from sandbox.providers.prozora.services.employees import Employees


@dataclass
class ProzoraRuntime(ProviderRuntime):
    employees: Employees
    customers: CustomerService


def build(context: Context) -> ProzoraRuntime:
    store = context.store
    customers = store.collection("prozora.customers", CUSTOMER_INDEXES)
    accounts = store.collection("prozora.accounts", ACCOUNT_INDEXES)
    return ProzoraRuntime(context=context, employees=Employees(),
                          customers=CustomerService(context, customers, accounts))
