"""Prozora's state and business rules over the store, a module per domain
(employees: who calls, by session token; customers: customers and their
accounts, scoped to the employee's counterparty and branch). Knows nothing
of Flask; raises ProzoraError."""
