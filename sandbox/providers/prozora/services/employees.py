"""Who calls: `Authorization: bearer <session token>` names an employee
(AUTH: the doc writes "bearer"; the scheme matches case-insensitively). An
employee belongs to one counterparty (EMP) and, optionally, one branch
(BR): a branch employee sees and changes only its branch's customers."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.providers.prozora import errors as e
from sandbox.providers.prozora.schemas import path_guid


@dataclass(frozen=True)
class Employee:
    """The caller of every call (the store's tenant is its counterparty)."""

    token: str
    counterparty_guid: str
    #: None: not assigned to a branch, sees every customer of the counterparty
    branch_guid: str | None = None

    def whole_counterparty(self) -> str:
        """The counterparty this employee acts for as a whole (the tenant of core's controls, a
        tenant's reset): only an employee of the whole counterparty, not of one branch, does."""
        if self.branch_guid is not None:
            raise e.ProzoraError.of(e.PERMISSION_DENIED)
        return self.counterparty_guid


class Employees:
    """The scenario's employees by session token (the sandbox has no login flow)."""

    def __init__(self) -> None:
        self._by_token: dict[str, Employee] = {}

    def add(self, employee: Employee) -> None:
        self._by_token[employee.token] = employee

    def authenticate(self, authorization: str | None, counterparty_guid: str | None) -> Employee:
        """The employee behind the header, allowed on the path's counterparty.

        Another counterparty's GUID is refused the same way whether it exists
        or not, so a token learns nothing about other counterparties."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        employee = self._by_token.get(token.strip()) if scheme.lower() == "bearer" else None
        if employee is None:
            raise e.ProzoraError.of(e.UNAUTHORIZED)
        if path_guid(counterparty_guid, "counterparty_guid") != employee.counterparty_guid:
            raise e.ProzoraError.of(e.PERMISSION_DENIED)
        return employee
