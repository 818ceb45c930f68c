"""Weavr: one declaration per endpoint, a module per domain. Each handler
takes what its declaration parsed (the caller, the body, the path) and
calls one service function. The Multi API is under /weavr/multi (Weavr's
https://sandbox.weavr.io/multi), the simulator under /weavr/simulate/api;
the sandbox's own controls under /_sandbox/weavr.

The import order is the document's order: the Multi API, the simulator,
then the sandbox's own controls."""

from sandbox.providers.weavr.routes import consumers, fees, sign_in, simulator  # noqa: F401 (declare the routes)

# isort: split
from sandbox.providers.weavr.routes import controls  # noqa: F401 (declared last: last in the document)
