"""The in-memory index: changed one artist at a time, always ranking as the reference does."""

from __future__ import annotations

import random

import pytest

from notalabel.community import index as index_module
from notalabel.community import reference as ref
from notalabel.community.index import MatchIndex
from notalabel.community.profile import MatchProfile, profile_of
from notalabel.engine.vocabulary import Genre, Mood
from tests.community.test_scoring import random_dna


def reference_answer(
    people: dict[str, MatchProfile], me: MatchProfile, excluded: set[str], *, collab: bool
) -> list[tuple[str, float]]:
    """What the plain reference says over the same artists."""
    candidates = [
        ref.Candidate(user_id, p)
        for user_id, p in people.items()
        if user_id not in excluded and p.genre is not None
    ]
    found = (
        ref.best_collaborations(me, candidates)
        if collab
        else ref.best_matches(me, candidates, limit=10, min_similarity=0.3)
    )
    return [(s.id, s.score) for s in found]


def answer(
    index: MatchIndex, me: MatchProfile, excluded: set[str], *, collab: bool
) -> list[tuple[str, float]]:
    """What the index says."""
    found = (
        index.collaborations(me, excluded)
        if collab
        else index.matches(me, excluded, limit=10, min_similarity=0.3)
    )
    return [(m.user_id, m.score) for m in found]


@pytest.mark.parametrize("seed", range(3))
def test_a_long_run_of_changes_keeps_the_reference_ranking(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # merge the recently added ids often, so that the run crosses many merges and growths
    monkeypatch.setattr(index_module, "MERGE_EVERY", 7)
    rng = random.Random(seed)
    index = MatchIndex(capacity=2)
    people: dict[str, MatchProfile] = {}
    removed: set[str] = set()
    for step in range(600):
        action = rng.random()
        if action < 0.6 or not people:
            user_id = f"usr_{rng.getrandbits(128):032x}"
            people[user_id] = profile_of(random_dna(rng, rng.choice(["mixed", "ties"])))
            index.upsert(user_id, people[user_id])
        elif action < 0.8:
            user_id = rng.choice(sorted(people))
            people[user_id] = profile_of(random_dna(rng, "mixed"))
            index.upsert(user_id, people[user_id])
        else:
            user_id = rng.choice(sorted(people))
            del people[user_id]
            removed.add(user_id)
            index.remove(user_id)
        if step % 25 == 0:
            assert len(index) == len(people)
            me_id = rng.choice(sorted(people))
            blocked = set(rng.sample(sorted(people), min(3, len(people))))
            excluded = {me_id, *blocked}
            me = people[me_id]
            assert index.profile(me_id) == me
            for collab in (False, True):
                expected = reference_answer(people, me, excluded, collab=collab)
                assert answer(index, me, excluded, collab=collab) == expected
    for user_id in removed:
        assert user_id not in index
        assert index.profile(user_id) is None


def test_a_removed_artist_stays_out_even_if_their_profile_arrives_late() -> None:
    index = MatchIndex()
    profile = MatchProfile(genre=Genre.LOFI, mood=Mood.CHILL)
    index.upsert("usr_a", profile)
    index.upsert("usr_b", profile)
    index.remove("usr_a")
    index.upsert("usr_a", profile)  # a stale event after the deletion
    assert [m.user_id for m in index.matches(profile, [], limit=10, min_similarity=0.0)] == [
        "usr_b"
    ]
    assert len(index) == 1


def test_artists_without_a_primary_genre_are_never_suggested() -> None:
    index = MatchIndex()
    index.upsert("usr_none", MatchProfile(mood=Mood.CHILL))
    index.upsert("usr_lofi", MatchProfile(genre=Genre.LOFI, mood=Mood.CHILL))
    me = MatchProfile(mood=Mood.CHILL)
    assert [m.user_id for m in index.matches(me, [], limit=10, min_similarity=0.0)] == ["usr_lofi"]
    # a later DNA with a genre makes them suggestible
    index.upsert("usr_none", MatchProfile(genre=Genre.JAZZ, mood=Mood.CHILL))
    assert len(index.matches(me, [], limit=10, min_similarity=0.0)) == 2


def test_unknown_and_odd_ids_are_simply_not_there() -> None:
    index = MatchIndex()
    assert "usr_x" not in index
    assert "é" * 50 not in index
    assert index.profile("usr_x") is None
    index.remove("usr_x")
    assert index.matches(MatchProfile(), ["usr_x", "é"], limit=5, min_similarity=0.0) == []
