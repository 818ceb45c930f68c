"""Ibanera Customer API, Managees module: one declaration per endpoint, a
module per domain. Each handler reads like its documentation: the
declaration parses the body or query and checks the caller; the handler
calls one service function. Paths are exactly as documented, under
/ibanera; the sandbox's own controls are under /_sandbox/ibanera."""

from sandbox.providers.ibanera.routes import auth, controls, managees, simulations  # noqa: F401 (declare the routes)
