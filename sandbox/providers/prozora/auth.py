"""Who calls: `Authorization: bearer <session token>` names an employee
(AUTH: the doc writes "bearer"; the scheme matches case-insensitively). An
employee belongs to one counterparty (EMP) and, optionally, one branch
(BR): a branch employee sees and changes only its branch's customers."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.providers.prozora import errors as e
from sandbox.providers.prozora import validators as v


@dataclass(frozen=True)
class Employee:
    token: str
    counterparty_guid: str
    #: None: not assigned to a branch, sees every customer of the counterparty
    branch_guid: str | None = None


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
        requested = v.guid(counterparty_guid)
        if requested is None:
            raise e.at(e.INVALID_UUID, "counterparty_guid")
        if requested != employee.counterparty_guid:
            raise e.ProzoraError.of(e.PERMISSION_DENIED)
        return employee
