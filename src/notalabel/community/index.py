"""Every artist's matching profile in memory, as numpy columns, changed one artist at a time.

Rows are appended as artists arrive and overwritten when a profile changes; a removed artist's
row is only marked dead (ids are never reused, so nothing can land on it). Finding an artist's
row goes through a sorted copy of the ids (binary search) plus a small dict of the ids added
since that copy was last merged, so no change rebuilds the index: a merge inserts the new ids
into the sorted copy, at most every MERGE_EVERY additions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from notalabel.community import reference as ref
from notalabel.community.profile import MatchProfile
from notalabel.community.scoring import (
    NO_GENRE,
    Columns,
    codes_of,
    collaboration_scores,
    profile_at,
    similarity_scores,
    top,
)

ID_BYTES = 40  # users.id is String(40)
MERGE_EVERY = 4096
_FIRST_CAPACITY = 1024


@dataclass(frozen=True, slots=True)
class Match:
    """One artist found for a query, with its score."""

    user_id: str
    score: float


class MatchIndex:
    """The profiles of every artist who can be suggested, and the two ranked queries."""

    def __init__(self, capacity: int = _FIRST_CAPACITY) -> None:
        self._size = 0
        self._columns = _empty_columns(capacity)
        self._ids = np.zeros(capacity, dtype=f"S{ID_BYTES}")
        # alive and with a primary genre: the seed only suggests artists who have one
        self._eligible = np.zeros(capacity, dtype=bool)
        self._sorted_ids = np.zeros(0, dtype=f"S{ID_BYTES}")
        self._sorted_rows = np.zeros(0, dtype=np.int32)
        self._recent: dict[bytes, int] = {}
        self._profiles_alive = 0

    def __len__(self) -> int:
        """How many artists the index holds (removed ones not counted)."""
        return self._profiles_alive

    def __contains__(self, user_id: object) -> bool:
        return isinstance(user_id, str) and self.profile(user_id) is not None

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays (the dict of recently added ids not counted)."""
        arrays = [getattr(self._columns, f.name) for f in fields(self._columns)]
        arrays += [self._ids, self._eligible, self._sorted_ids, self._sorted_rows]
        return sum(int(a.nbytes) for a in arrays)

    def upsert(self, user_id: str, profile: MatchProfile) -> None:
        """Add an artist, or replace their profile."""
        key = _key(user_id)
        row = self._row_of_key(key)
        if row is None:
            row = self._append(key)
            self._profiles_alive += 1
        elif not self._alive(row):
            return  # removed for good: ids are never reused
        codes = codes_of(profile)
        columns = self._columns
        columns.genre[row] = codes.genre
        columns.sub_genres[row] = codes.sub_genres
        columns.mood[row] = codes.mood
        columns.energy[row] = codes.energy
        columns.complexity[row] = codes.complexity
        columns.keywords[row] = codes.keywords
        self._eligible[row] = codes.genre != NO_GENRE

    def remove(self, user_id: str) -> None:
        """Take an artist out for good (a deleted account)."""
        row = self._row(user_id)
        if row is None or not self._alive(row):
            return
        self._eligible[row] = False
        # energy 0 marks the row dead: live rows hold levels 1-10
        self._columns.energy[row] = 0
        self._profiles_alive -= 1

    def profile(self, user_id: str) -> MatchProfile | None:
        """The profile the index holds for an artist, rebuilt from the row."""
        row = self._row(user_id)
        return None if row is None or not self._alive(row) else profile_at(self._columns, row)

    def matches(
        self, me: MatchProfile, excluded: Iterable[str], *, limit: int, min_similarity: float
    ) -> list[Match]:
        """The `limit` most similar artists scoring at least `min_similarity`; ties by id."""
        view = self._view()
        scores = similarity_scores(me, view)
        return self._top(scores, excluded, limit=limit, floor=min_similarity, strictly=False)

    def collaborations(
        self, me: MatchProfile, excluded: Iterable[str], *, limit: int = ref.MAX_COLLABORATIONS
    ) -> list[Match]:
        """The artists with the most collaboration potential above the seed's 0.4."""
        scores = collaboration_scores(me, self._view())
        return self._top(scores, excluded, limit=limit, floor=ref.MIN_COLLABORATION, strictly=True)

    def _top(
        self, scores: npt.NDArray[np.float64], excluded: Iterable[str], *,
        limit: int, floor: float, strictly: bool,
    ) -> list[Match]:  # fmt: skip
        eligible = self._eligible[: self._size].copy()
        for user_id in excluded:
            row = self._row(user_id)
            if row is not None:
                eligible[row] = False
        ids = self._ids[: self._size]
        found = top(scores, eligible, ids, limit=limit, floor=floor, strictly_above=strictly)
        return [Match(ids[row].decode(), score) for row, score in found]

    def _view(self) -> Columns:
        """The filled rows of every column (views, no copy)."""
        columns = self._columns
        return Columns(**{f.name: getattr(columns, f.name)[: self._size] for f in fields(columns)})

    def _alive(self, row: int) -> bool:
        return bool(self._columns.energy[row] != 0)

    def _row(self, user_id: str) -> int | None:
        try:
            key = _key(user_id)
        except ValueError:
            return None
        return self._row_of_key(key)

    def _row_of_key(self, key: bytes) -> int | None:
        recent = self._recent.get(key)
        if recent is not None:
            return recent
        at = int(np.searchsorted(self._sorted_ids, key))
        if at < len(self._sorted_ids) and self._sorted_ids[at] == key:
            return int(self._sorted_rows[at])
        return None

    def _append(self, key: bytes) -> int:
        if self._size == len(self._ids):
            self._grow(2 * len(self._ids))
        row = self._size
        self._size += 1
        self._ids[row] = key
        self._recent[key] = row
        if len(self._recent) >= MERGE_EVERY:
            self._merge_recent()
        return row

    def _grow(self, capacity: int) -> None:
        old = self._columns
        self._columns = _empty_columns(capacity)
        for column in fields(old):
            new = getattr(self._columns, column.name)
            new[: self._size] = getattr(old, column.name)[: self._size]
        self._ids = _resized(self._ids, capacity)
        self._eligible = _resized(self._eligible, capacity)

    def _merge_recent(self) -> None:
        keys = np.array(sorted(self._recent), dtype=f"S{ID_BYTES}")
        rows = np.array([self._recent[k] for k in keys.tolist()], dtype=np.int32)
        at = np.searchsorted(self._sorted_ids, keys)
        self._sorted_ids = np.insert(self._sorted_ids, at, keys)
        self._sorted_rows = np.insert(self._sorted_rows, at, rows)
        self._recent.clear()


def _key(user_id: str) -> bytes:
    key = user_id.encode("ascii")
    if len(key) > ID_BYTES or key.endswith(b"\0"):
        raise ValueError(f"not a user id: {user_id!r}")
    return key


def _empty_columns(capacity: int) -> Columns:
    return Columns(
        genre=np.full(capacity, NO_GENRE, dtype=np.int8),
        sub_genres=np.zeros(capacity, dtype=np.uint16),
        mood=np.zeros(capacity, dtype=np.int8),
        energy=np.zeros(capacity, dtype=np.int8),
        complexity=np.zeros(capacity, dtype=np.int8),
        keywords=np.zeros(capacity, dtype=np.uint32),
    )


def _resized(array: npt.NDArray[Any], capacity: int) -> npt.NDArray[Any]:
    bigger = np.zeros(capacity, dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger
