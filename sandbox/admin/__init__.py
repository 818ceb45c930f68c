"""The sandbox's own endpoints: health and the global /_sandbox controls, in
the sandbox's own envelope (errors.py), declared on its own Api (api.py,
routes.py) and documented at /_sandbox/openapi.json like a provider's.

Provider-specific controls (e.g. moving an Ibanera managee's KYC) live in the
provider's package, and the controls every provider has (a tenant's reset)
in core/controls.py; both are mounted under /_sandbox/<provider> and answer
in the provider's envelope."""

from sandbox.admin import routes  # noqa: F401 (declares the routes)
from sandbox.admin.api import api
from sandbox.admin.errors import SandboxError

__all__ = ["SandboxError", "api"]
