"""The vectorised scorer equals the plain reference: same scores, same ranking."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from notalabel.community import reference as ref
from notalabel.community import scoring
from notalabel.community.profile import KEYWORDS, MatchProfile, profile_of
from notalabel.community.scoring import (
    collaboration_scores,
    columns_of,
    similarity_scores,
    top,
)
from notalabel.engine.vocabulary import Genre, Mood

SHAPES = ["mixed", "empty lists", "missing values", "ties", "one genre"]


def random_dna(rng: random.Random, shape: str) -> dict[str, object]:
    """A stored musicDNA document of the given shape (profile_of normalises it)."""
    genres, moods = [g.value for g in Genre], [m.value for m in Mood]
    if shape == "ties":
        # few distinct profiles, so most scores are tied
        return {"primaryGenre": rng.choice(genres[:2]), "preferredMood": rng.choice(moods[:2])}
    dna: dict[str, object] = {
        "primaryGenre": genres[0] if shape == "one genre" else rng.choice([*genres, None]),
        "subGenres": [] if shape == "empty lists" else rng.sample(genres, rng.randint(0, 4)),
        "preferredMood": rng.choice([*moods, None]),
        "energyLevel": rng.randint(1, 10),
        "complexity": rng.randint(1, 10),
        "keywords": [] if shape == "empty lists" else rng.sample(KEYWORDS, rng.randint(0, 8)),
    }
    if shape == "missing values":
        for key in rng.sample(list(dna), rng.randint(1, len(dna))):
            del dna[key]
    return dna


def population(seed: int, size: int, shape: str) -> list[MatchProfile]:
    """`size` random profiles."""
    rng = random.Random(seed)
    return [profile_of(random_dna(rng, shape)) for _ in range(size)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", range(4))
def test_scores_equal_the_reference_for_every_row(shape: str, seed: int) -> None:
    profiles = population(seed, 400, shape)
    rows = columns_of(profiles)
    for me in profiles[:25]:
        expected = np.array([ref.similarity(me, p) for p in profiles])
        assert np.abs(similarity_scores(me, rows) - expected).max() <= 1e-9
        # and in fact to the last bit: the same operations in the same order
        assert similarity_scores(me, rows).tolist() == expected.tolist()
        potential = np.array([ref.collaboration_potential(me, p) for p in profiles])
        assert collaboration_scores(me, rows).tolist() == potential.tolist()


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", range(4))
def test_rankings_equal_the_reference(shape: str, seed: int) -> None:
    profiles = population(seed, 300, shape)
    ids = [f"usr_{i:04d}" for i in random.Random(seed).sample(range(300), 300)]
    cases = [(10, 0.3), (1, 0.0), (50, 0.6), (0, 0.0), (400, 0.0)]
    assert_ranks_as_reference(profiles, ids, set(), profiles[:10], cases)


def assert_ranks_as_reference(
    profiles: list[MatchProfile],
    ids: list[str],
    excluded: set[str],
    askers: list[MatchProfile],
    cases: list[tuple[int, float]],
) -> None:
    """top() over the scorer gives the reference's matches (each (limit, floor) of `cases`)
    and collaborations, for each of `askers`, with the `excluded` ids never eligible."""
    allowed = [ref.Candidate(i, p) for i, p in zip(ids, profiles, strict=True) if i not in excluded]
    rows, id_column = columns_of(profiles), np.array(ids, dtype=np.bytes_)
    eligible = np.array([i not in excluded for i in ids])
    for me in askers:
        for limit, floor in cases:
            fast = top(similarity_scores(me, rows), eligible, id_column, limit=limit, floor=floor)
            slow = ref.best_matches(me, allowed, limit=limit, min_similarity=floor)
            assert [(ids[r], s) for r, s in fast] == [(s.id, s.score) for s in slow]
        fast = top(
            collaboration_scores(me, rows), eligible, id_column,
            limit=ref.MAX_COLLABORATIONS, floor=ref.MIN_COLLABORATION, strictly_above=True,
        )  # fmt: skip
        slow = ref.best_collaborations(me, allowed)
        assert [(ids[r], s) for r, s in fast] == [(s.id, s.score) for s in slow]


def test_an_empty_population_has_no_matches() -> None:
    rows = columns_of([])
    me = MatchProfile(genre=Genre.JAZZ)
    scores = similarity_scores(me, rows)
    assert scores.shape == (0,)
    assert top(scores, np.ones(0, bool), np.array([], np.bytes_), limit=10, floor=0.0) == []


def test_top_skips_ineligible_rows_and_breaks_ties_at_the_edge_by_id() -> None:
    scores = np.array([0.5, 0.9, 0.5, 0.5, 0.4, 0.9])
    ids = np.array([b"e", b"z", b"c", b"a", b"b", b"y"])
    eligible = np.array([True, True, True, True, True, False])
    assert top(scores, eligible, ids, limit=3, floor=0.0) == [(1, 0.9), (3, 0.5), (2, 0.5)]
    at_least = [(1, 0.9), (3, 0.5), (2, 0.5), (0, 0.5)]
    assert top(scores, eligible, ids, limit=9, floor=0.5) == at_least
    assert top(scores, eligible, ids, limit=9, floor=0.5, strictly_above=True) == [(1, 0.9)]


@pytest.mark.parametrize("shape", ["mixed", "ties", "one genre"])
def test_large_populations_rank_as_the_reference_through_the_sampled_bar(
    shape: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # big enough for top() to read its bar off a sample; count which way each query went
    taken = {"bar": 0, "every row": 0}
    sampled = scoring._above_a_sampled_bar

    def counting(*args: Any) -> Any:
        rows = sampled(*args)
        taken["bar" if rows is not None else "every row"] += 1
        return rows

    monkeypatch.setattr(scoring, "_above_a_sampled_bar", counting)
    profiles = population(11, 6000, shape)
    ids = [f"usr_{i:05d}" for i in random.Random(5).sample(range(6000), 6000)]
    # a tenth of the artists cannot be suggested (blocked, say)
    excluded = set(random.Random(3).sample(ids, 600))
    cases = [(10, 0.3), (3, 0.0), (40, 0.95), (3000, 0.0)]
    assert_ranks_as_reference(profiles, ids, excluded, profiles[:6], cases)
    assert taken["bar"] > 0
    assert taken["every row"] > 0


def test_a_bar_equal_to_a_strict_floor_does_not_let_the_floor_in() -> None:
    # most rows sit exactly on the floor: the sampled bar is the floor itself
    scores = np.full(8192, 0.4)
    scores[[5, 700, 4000]] = 0.5
    ids = np.array([f"usr_{i:05d}" for i in range(8192)], dtype=np.bytes_)
    everyone = np.ones(8192, dtype=bool)
    found = top(scores, everyone, ids, limit=5, floor=0.4, strictly_above=True)
    assert found == [(5, 0.5), (700, 0.5), (4000, 0.5)]
    assert len(top(scores, everyone, ids, limit=5, floor=0.4)) == 5


@pytest.mark.parametrize("seed", range(5))
def test_ties_on_the_edge_keep_the_smallest_ids(seed: int) -> None:
    rng = random.Random(seed)
    # real ids differ from their fifth character on; some share their first 8 bytes
    ids = [f"usr_{rng.getrandbits(16 if i % 3 else 128):032x}" for i in range(5000)]
    scores = np.array([rng.choice((0.5, 0.7, 0.7, 0.7)) for _ in ids])
    column = np.array(ids, dtype="S40")
    everyone = np.ones(len(ids), dtype=bool)
    for limit in (1, 7, 100, 4000):
        expected = sorted(range(len(ids)), key=lambda i: (-scores[i], ids[i]))[:limit]
        found = top(scores, everyone, column, limit=limit, floor=0.0)
        assert [row for row, _ in found] == expected
