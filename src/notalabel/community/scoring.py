"""The reference formulas over a whole population at once, with numpy.

A population is a few small integer columns per artist (genre and mood as codes, sub-genres
and keywords as bit sets, energy and complexity as levels): about 10 bytes an artist. For one
artist's query every term of the formula depends on a single column, so each term is a lookup
in a table of at most a few thousand values computed with the reference's own functions, then
the terms are added in the reference's order. Same IEEE operations, same order: the scores are
the reference's to the last bit, which the tests check on random populations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from notalabel.community import reference as ref
from notalabel.community.profile import KEYWORDS, MatchProfile
from notalabel.community.tables import genre_synergy, mood_compatibility
from notalabel.engine.vocabulary import Genre, Mood

GENRES: tuple[Genre, ...] = tuple(Genre)
MOODS: tuple[Mood, ...] = tuple(Mood)
NO_GENRE = len(GENRES)  # the code of a missing genre
NO_MOOD = len(MOODS)
_GENRE_CODE = {g: i for i, g in enumerate(GENRES)}
_MOOD_CODE = {m: i for i, m in enumerate(MOODS)}
_KEYWORD_BIT = {k: 1 << i for i, k in enumerate(KEYWORDS)}
_LEVELS = range(11)  # levels are 1-10; index 0 is never used
MAX_SET = 32  # no bit set here has more members than this (14 genres, 28 keywords)
SAMPLE_STRIDE = 64
SAMPLE_RANK = 16  # the bar is this best score of the sample: about 1,000 rows reach it

Floats = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]


@dataclass(slots=True)
class Columns:
    """One row per artist: the matching profile as integer columns."""

    genre: npt.NDArray[np.int8]
    sub_genres: npt.NDArray[np.uint16]
    mood: npt.NDArray[np.int8]
    energy: npt.NDArray[np.int8]
    complexity: npt.NDArray[np.int8]
    keywords: npt.NDArray[np.uint32]

    def __len__(self) -> int:
        return len(self.genre)


@dataclass(frozen=True, slots=True)
class Codes:
    """One profile as the integers of its row."""

    genre: int
    sub_genres: int
    mood: int
    energy: int
    complexity: int
    keywords: int


def codes_of(profile: MatchProfile) -> Codes:
    """The row values of `profile`."""
    return Codes(
        genre=NO_GENRE if profile.genre is None else _GENRE_CODE[profile.genre],
        sub_genres=sum(1 << _GENRE_CODE[g] for g in profile.sub_genres),
        mood=NO_MOOD if profile.mood is None else _MOOD_CODE[profile.mood],
        energy=profile.energy,
        complexity=profile.complexity,
        keywords=sum(_KEYWORD_BIT[k] for k in profile.keywords),
    )


def profile_at(rows: Columns, row: int) -> MatchProfile:
    """The profile a row holds (the inverse of `codes_of`)."""
    genre, mood = int(rows.genre[row]), int(rows.mood[row])
    sub_genres, keywords = int(rows.sub_genres[row]), int(rows.keywords[row])
    return MatchProfile(
        genre=None if genre == NO_GENRE else GENRES[genre],
        sub_genres=frozenset(g for i, g in enumerate(GENRES) if sub_genres >> i & 1),
        mood=None if mood == NO_MOOD else MOODS[mood],
        energy=int(rows.energy[row]),
        complexity=int(rows.complexity[row]),
        keywords=frozenset(k for i, k in enumerate(KEYWORDS) if keywords >> i & 1),
    )


def columns_of(profiles: Sequence[MatchProfile]) -> Columns:
    """A population's columns, in the order of `profiles`."""
    codes = [codes_of(p) for p in profiles]
    return Columns(
        genre=np.fromiter((c.genre for c in codes), np.int8, len(codes)),
        sub_genres=np.fromiter((c.sub_genres for c in codes), np.uint16, len(codes)),
        mood=np.fromiter((c.mood for c in codes), np.int8, len(codes)),
        energy=np.fromiter((c.energy for c in codes), np.int8, len(codes)),
        complexity=np.fromiter((c.complexity for c in codes), np.int8, len(codes)),
        keywords=np.fromiter((c.keywords for c in codes), np.uint32, len(codes)),
    )


def similarity_scores(me: MatchProfile, rows: Columns) -> Floats:
    """`reference.similarity(me, row)` for every row."""
    mine = codes_of(me)
    genre = np.zeros(NO_GENRE + 1)
    if me.genre is not None:
        genre[mine.genre] = ref.GENRE_WEIGHT
    mood = np.array([mood_compatibility(me.mood, m) * ref.MOOD_WEIGHT for m in _moods()])
    energy = _level_terms(me.energy, ref.ENERGY_WEIGHT)
    complexity = _level_terms(me.complexity, ref.COMPLEXITY_WEIGHT)
    # the reference starts from 0.0 and adds each term in this order; each addition is in
    # place, and each lookup indexes a small table with the narrow column itself
    total = genre[rows.genre]
    total += _overlap(mine.sub_genres, rows.sub_genres, ref.SUB_GENRE_WEIGHT)
    total += mood[rows.mood]
    total += energy[rows.energy]
    total += _overlap(mine.keywords, rows.keywords, ref.KEYWORD_WEIGHT)
    total += complexity[rows.complexity]
    return np.minimum(total, 1.0, out=total)


def collaboration_scores(me: MatchProfile, rows: Columns) -> Floats:
    """`reference.collaboration_potential(me, row)` for every row."""
    mine = codes_of(me)
    # a missing genre has no synergy with anything, and the same genre none with itself
    fusion = np.array([genre_synergy(me.genre, g) * ref.FUSION_WEIGHT for g in _genres()])
    low, high = ref.COMPLEXITY_GAP
    gap = np.array([ref.COMPLEXITY_GAP_BONUS if low <= abs(mine.complexity - c) <= high else 0.0
                    for c in _LEVELS])  # fmt: skip
    close_energy = np.abs(rows.energy.astype(np.int16) - mine.energy) <= ref.CLOSE_ENERGY
    contrast = np.where(close_energy & (rows.mood != mine.mood), ref.MOOD_CONTRAST_BONUS, 0.0)
    # the reference adds fusion only when the genres differ; fusion is 0.0 when not, and
    # x + 0.0 is x
    total: Floats = fusion[rows.genre]
    total += gap[rows.complexity]
    total += contrast
    return np.minimum(total, 1.0, out=total)


def top(
    scores: Floats,
    eligible: Mask,
    ids: npt.NDArray[np.bytes_],
    *,
    limit: int,
    floor: float,
    strictly_above: bool = False,
) -> list[tuple[int, float]]:
    """The rows of the `limit` best eligible scores at least (or above) `floor`; ties by id."""
    if limit <= 0 or scores.size == 0:
        return []
    rows = _above_a_sampled_bar(scores, eligible, limit, floor, strictly_above)
    if rows is None:
        passing = scores > floor if strictly_above else scores >= floor
        rows = np.flatnonzero(eligible & passing)
    if rows.size > limit:
        # rows above the limit-th best score are in; of those tied with it, the smallest ids
        kth = np.partition(scores[rows], rows.size - limit)[rows.size - limit]
        above, edge = rows[scores[rows] > kth], rows[scores[rows] == kth]
        edge = edge[_smallest_ids(ids[edge], limit - above.size)]
        rows = np.concatenate((above, edge))
    order = np.lexsort((ids[rows], -scores[rows]))[:limit]
    return [(int(r), float(scores[r])) for r in rows[order]]


def _above_a_sampled_bar(
    scores: Floats, eligible: Mask, limit: int, floor: float, strictly_above: bool
) -> npt.NDArray[np.intp] | None:
    """The eligible rows at or above a bar read off a sample, if at least `limit` are.

    Listing every row above the floor costs a pass and an index array as long as the
    population; the best scores of every SAMPLE_STRIDE-th row give a bar that only a few
    hundred rows reach. If at least `limit` eligible rows reach it, the best `limit` are all
    among them, so the answer is exact; otherwise the caller lists every row above the floor.
    """
    if scores.size < SAMPLE_STRIDE * SAMPLE_RANK * 4:
        return None
    sample = scores[::SAMPLE_STRIDE]
    bar = float(np.partition(sample, sample.size - SAMPLE_RANK)[sample.size - SAMPLE_RANK])
    if bar < floor or (strictly_above and bar == floor):
        return None
    rows = np.flatnonzero(scores >= bar)
    rows = rows[eligible[rows]]
    return rows if rows.size >= limit else None


def _smallest_ids(ids: npt.NDArray[np.bytes_], count: int) -> npt.NDArray[np.intp]:
    """The positions of the `count` smallest ids, in no particular order.

    Tens of thousands of artists can tie on a score; comparing their ids as strings is slow,
    so their first 8 bytes, read as a big-endian number (the same order), narrow them first.
    """
    if ids.size <= count:
        return np.arange(ids.size)
    width = ids.dtype.itemsize
    if width % 8:
        return np.argsort(ids, kind="stable")[:count]
    head = np.ascontiguousarray(ids).view(np.dtype(">u8")).reshape(-1, width // 8)[:, 0]
    last = np.partition(head, count - 1)[count - 1]
    narrowed = np.flatnonzero(head <= last)
    return narrowed[np.argsort(ids[narrowed], kind="stable")[:count]]


def _genres() -> list[Genre | None]:
    return [*GENRES, None]


def _moods() -> list[Mood | None]:
    return [*MOODS, None]


def _level_terms(mine: int, weight: float) -> Floats:
    # index 0 is no level; it is never looked up (levels are 1-10)
    return np.array([ref.closeness(mine, level) * weight for level in _LEVELS])


def _overlap(mine: int, column: npt.NDArray[np.unsignedinteger], weight: float) -> Floats:
    """`reference.jaccard(...) * weight` of the bit set `mine` against each row's."""
    index = np.bitwise_count(column & mine).astype(np.uint16)
    index *= MAX_SET + 1
    index += np.bitwise_count(column | mine)
    terms: Floats = _jaccard_terms(weight)[index]
    return terms


@cache
def _jaccard_terms(weight: float) -> Floats:
    """`jaccard * weight` for every intersection i and union u, at i * (MAX_SET + 1) + u."""
    sizes = range(MAX_SET + 1)
    return np.array([(0.0 if u == 0 else i / u) * weight for i in sizes for u in sizes])
