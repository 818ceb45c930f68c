"""The sandbox inside a partner's own test process: `InProcessSandbox` (the
app served on a free 127.0.0.1 port in a thread, with credentials, control
helpers and authenticated clients), and `intercept`, which sends calls made
with `requests` or `httpx` to the providers' real hosts to it. The pytest
plugin (sandbox/pytest_plugin.py) builds its fixtures from these."""

from sandbox.core.kit import ControlError
from sandbox.testing.intercept import REAL_HOSTS, intercept
from sandbox.testing.running import InProcessSandbox

__all__ = ["REAL_HOSTS", "ControlError", "InProcessSandbox", "intercept"]
