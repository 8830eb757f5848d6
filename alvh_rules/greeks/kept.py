"""Results kept for the positions a backtest holds: one small store for every figure the Greeks
core computes again day after day for the same objects (a position's risk, its additive
figures, its bounds at expiry, its expected profit, its stress value).

An entry is found by a key built from the position's `id` (plus what else the figure depends
on) and is a hit only when the stored position *is* the one asked about and the stored
token (the day's valuation context, or the grid's top) is the one given: so neither a reused
`id` nor another day's context can hit. A store holds a few days' worth and is emptied when
full: simpler than an LRU, and a backtest reads each entry within the day that made it.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

from alvh_rules.greeks.legs import Position

V = TypeVar("V")


class Kept(Generic[V]):
    """Values kept by (key, position, token); `same` says when a stored token matches (the
    context by identity, a float by value)."""

    def __init__(
        self, size: int = 256, same: Callable[[object, object], bool] = operator.is_
    ) -> None:
        self.size = size
        self._same = same
        self._entries: dict[Hashable, tuple[Position, object, V]] = {}

    def get(self, key: Hashable, position: Position, token: object) -> V | None:
        hit = self._entries.get(key)
        if hit is not None and hit[0] is position and self._same(hit[1], token):
            return hit[2]
        return None

    def has(self, key: Hashable, position: Position, token: object) -> bool:
        hit = self._entries.get(key)
        return hit is not None and hit[0] is position and self._same(hit[1], token)

    def put(self, key: Hashable, position: Position, token: object, value: V) -> V:
        self.make_room(1)
        self._entries[key] = (position, token, value)
        return value

    def put_all(
        self,
        keys: Sequence[Hashable],
        positions: Sequence[Position],
        token: object,
        values: Sequence[V],
    ) -> None:
        """Keep a day's values for several positions at once (room made for all of them)."""
        self.make_room(len(positions))
        for key, position, value in zip(keys, positions, values, strict=True):
            self._entries[key] = (position, token, value)

    def make_room(self, count: int) -> None:
        if len(self._entries) + count > self.size:
            self._entries.clear()
