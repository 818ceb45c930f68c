"""Prozora (Armenotech DCM) bank-integration API, Customer section: one
declaration per endpoint, a module per domain, under /prozora. Every call is
an employee's on its own counterparty (api.EMPLOYEE checks both before the
body is read); the declaration parses the body or query, and the handler
calls one service function. Prozora has no sandbox controls of its own:
core's (a tenant's reset) are declared by api.CONTROLS."""

from sandbox.providers.prozora.routes import customers  # noqa: F401 (declare the routes)
