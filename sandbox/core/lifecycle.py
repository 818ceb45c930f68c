"""Statuses that move only along allowed edges (KYC, verification, ...),
as data: each provider declares its states, its moves and so its final
states; a move is stamped with the sandbox clock. Later work drives these
from a state manager (advance after N seconds of sandbox time)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sandbox.core.clock import Clock


class IllegalMove(Exception):
    def __init__(self, lifecycle: str, current: str, target: str, final: bool):
        super().__init__(f"{lifecycle}: {current} -> {target} is not allowed")
        self.current, self.target, self.final = current, target, final


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    at: datetime


@dataclass(frozen=True)
class Lifecycle:
    name: str
    initial: str
    #: state -> the states it may move to; a state with no moves is final
    moves: Mapping[str, frozenset[str]]

    def __post_init__(self):
        stray = {t for targets in self.moves.values() for t in targets} - set(self.moves)
        if self.initial not in self.moves or stray:
            raise ValueError(f"{self.name}: every state, final ones too, is a key of moves; missing {sorted(stray)}")

    @classmethod
    def of(cls, name: str, initial: str, moves: Mapping[str, tuple[str, ...]]) -> Lifecycle:
        return cls(name, initial, {state: frozenset(targets) for state, targets in moves.items()})

    @property
    def states(self) -> frozenset[str]:
        return frozenset(self.moves)

    @property
    def finals(self) -> frozenset[str]:
        return frozenset(s for s in self.states if not self.moves.get(s))

    def move(self, current: str, target: str, clock: Clock) -> Move:
        """The move from current to target now, or IllegalMove."""
        if target not in self.moves.get(current, ()):
            raise IllegalMove(self.name, current, target, final=current in self.finals)
        return Move(current, target, clock.now())
