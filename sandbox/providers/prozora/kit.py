"""What tests need of Prozora: its counterparties' employee tokens, a client
at the employee's counterparty, and its plugin fixture."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sandbox.core.kit import ControlError, Kit, closing, fixture

if TYPE_CHECKING:
    import httpx


class ProzoraKit(Kit):
    """No control endpoints: a bank's employees do everything through the API."""

    name = "prozora"

    @property
    def credentials(self) -> list[dict]:
        return [{"counterparty": c["id"], "employee_token": c["employee_token"],
                 "branches": [{"guid": b["guid"], "employee_token": b.get("employee_token")}
                              for b in c.get("branches", [])]}
                for c in self.section["counterparties"]]

    def client(self, employee_token: str | None = None) -> httpx.Client:
        """At the employee's counterparty: /prozora/api/v1/counterparty/<guid> (so `client.get("/customers")`)."""
        token = employee_token or self.credentials[0]["employee_token"]
        counterparty = next((c["counterparty"] for c in self.credentials
                             if token in (c["employee_token"], *(b["employee_token"] for b in c["branches"]))), None)
        if counterparty is None:
            raise ControlError(f"no Prozora employee token {token!r} in the scenario")
        return self._client(headers={"Authorization": f"bearer {token}"},
                            base_url=f"{self.base_url}/api/v1/counterparty/{counterparty}")

    @fixture
    def prozora_client(self) -> Iterator[httpx.Client]:
        """httpx.Client at the first employee's counterparty, with its token."""
        yield from closing(self.client())
