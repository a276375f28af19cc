"""The vectorised scorer equals the plain reference: same scores, same ranking."""

from __future__ import annotations

import random

import numpy as np
import pytest

from notalabel.community import reference as ref
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
    candidates = [ref.Candidate(i, p) for i, p in zip(ids, profiles, strict=True)]
    rows = columns_of(profiles)
    id_column = np.array(ids, dtype=np.bytes_)
    everyone = np.ones(len(ids), dtype=bool)
    for me in profiles[:10]:
        for limit, floor in [(10, 0.3), (1, 0.0), (50, 0.6), (0, 0.0), (400, 0.0)]:
            fast = top(similarity_scores(me, rows), everyone, id_column, limit=limit, floor=floor)
            slow = ref.best_matches(me, candidates, limit=limit, min_similarity=floor)
            assert [(ids[r], s) for r, s in fast] == [(s.id, s.score) for s in slow]
        fast = top(
            collaboration_scores(me, rows), everyone, id_column,
            limit=ref.MAX_COLLABORATIONS, floor=ref.MIN_COLLABORATION, strictly_above=True,
        )  # fmt: skip
        slow = ref.best_collaborations(me, candidates)
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
