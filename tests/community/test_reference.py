"""The seed's similarity and collaboration formulas, term by term."""

from __future__ import annotations

from dataclasses import replace

import pytest

from notalabel.community.explain import (
    collaboration_reason,
    collaboration_type,
    compatibility_reasons,
)
from notalabel.community.profile import KEYWORDS, MatchProfile, profile_of
from notalabel.community.reference import (
    Candidate,
    CollaborationType,
    best_collaborations,
    best_matches,
    collaboration_potential,
    jaccard,
    similarity,
)
from notalabel.community.tables import genre_synergy, mood_compatibility
from notalabel.engine.vocabulary import Genre, Mood

# a baseline pair that differs in everything the formula reads: each test changes one thing
A = MatchProfile(genre=Genre.LOFI, mood=Mood.CHILL, energy=1, complexity=1)
B = MatchProfile(genre=Genre.TECHNO, mood=Mood.MELODIC, energy=10, complexity=10)
# what A and B score as they are: only the unlisted mood pair counts (0.5 x 0.25)
BASE = 0.125


def test_nothing_in_common_but_an_unlisted_mood_pair() -> None:
    assert similarity(A, B) == pytest.approx(BASE)


def test_the_same_primary_genre_adds_0_3() -> None:
    same = MatchProfile(genre=Genre.LOFI, mood=Mood.MELODIC, energy=10, complexity=10)
    assert similarity(A, same) == pytest.approx(BASE + 0.3)


def test_two_missing_genres_are_not_a_shared_genre() -> None:
    a = MatchProfile(mood=Mood.CHILL, energy=1, complexity=1)
    b = MatchProfile(mood=Mood.MELODIC, energy=10, complexity=10)
    assert similarity(a, b) == pytest.approx(BASE)


def test_sub_genres_add_their_jaccard_overlap_times_0_15() -> None:
    a = replace(A, sub_genres=frozenset({Genre.JAZZ, Genre.HIPHOP}))
    b = replace(B, sub_genres=frozenset({Genre.JAZZ, Genre.AMBIENT}))
    assert similarity(a, b) == pytest.approx(BASE + (1 / 3) * 0.15)


def test_keywords_add_their_jaccard_overlap_times_0_15() -> None:
    a = replace(A, keywords=frozenset({"rain", "vinyl", "piano"}))
    b = replace(B, keywords=frozenset({"rain", "vinyl"}))
    assert similarity(a, b) == pytest.approx(BASE + (2 / 3) * 0.15)


@pytest.mark.parametrize(
    ("mine", "theirs", "value"),
    [
        (Mood.CHILL, Mood.CHILL, 1.0),
        (Mood.STUDY, Mood.STUDY, 1.0),  # no row of its own in the seed: the same mood is 1
        (Mood.CHILL, Mood.STUDY, 0.9),
        (Mood.STUDY, Mood.CHILL, 0.9),  # either way round
        (Mood.DARK, Mood.DREAMY, 0.4),
        (Mood.DREAMY, Mood.DARK, 0.4),
        (Mood.ENERGETIC, Mood.UPBEAT, 0.9),
        (Mood.CHILL, Mood.AGGRESSIVE, 0.1),
        (Mood.MELODIC, Mood.MELANCHOLIC, 0.5),  # not listed
        (None, Mood.CHILL, 0.5),
        (None, None, 0.5),
    ],
)
def test_mood_compatibility_is_the_seeds_matrix_read_both_ways(
    mine: Mood | None, theirs: Mood | None, value: float
) -> None:
    assert mood_compatibility(mine, theirs) == value
    a = replace(A, mood=mine)
    b = replace(B, mood=theirs)
    assert similarity(a, b) == pytest.approx(value * 0.25)


@pytest.mark.parametrize(("gap", "term"), [(0, 0.2), (2, 0.2 * 7 / 9), (9, 0.0)])
def test_energy_adds_0_2_falling_to_nothing_over_nine_levels(gap: int, term: float) -> None:
    a = replace(A, energy=1)
    b = replace(B, energy=1 + gap)
    assert similarity(a, b) == pytest.approx(BASE + term)


@pytest.mark.parametrize(("gap", "term"), [(0, 0.1), (4, 0.1 * 5 / 9), (9, 0.0)])
def test_complexity_adds_0_1_falling_to_nothing_over_nine_levels(gap: int, term: float) -> None:
    a = replace(A, complexity=1)
    b = replace(B, complexity=1 + gap)
    assert similarity(a, b) == pytest.approx(BASE + term)


def test_missing_energy_and_complexity_count_as_five() -> None:
    missing = profile_of({"primaryGenre": "lo-fi"})
    assert (missing.energy, missing.complexity) == (5, 5)
    stated = MatchProfile(genre=Genre.LOFI, energy=5, complexity=5)
    assert similarity(missing, stated) == similarity(stated, stated)


def test_everything_shared_is_capped_at_one() -> None:
    full = MatchProfile(
        genre=Genre.JAZZ,
        sub_genres=frozenset({Genre.LOFI}),
        mood=Mood.CHILL,
        keywords=frozenset({"sax"}),
    )
    # 0.3 + 0.15 + 0.25 + 0.2 + 0.15 + 0.1 = 1.15
    assert similarity(full, full) == 1.0


def test_jaccard_of_two_empty_lists_is_zero() -> None:
    assert jaccard([], []) == 0.0
    assert jaccard(["a"], []) == 0.0
    assert jaccard(["a", "b"], ["b", "c"]) == pytest.approx(1 / 3)


def test_profile_of_keeps_known_ids_and_engine_keywords_only() -> None:
    profile = profile_of(
        {
            "primaryGenre": "lo-fi",
            "subGenres": ["jazz", "polka", 7],
            "preferredMood": "sleepy",
            "energyLevel": 11,
            "complexity": 3,
            "keywords": ["Rain", "made-up", "vinyl"],
        }
    )
    assert profile == MatchProfile(
        genre=Genre.LOFI,
        sub_genres=frozenset({Genre.JAZZ}),
        mood=None,
        energy=5,
        complexity=3,
        keywords=frozenset({"rain", "vinyl"}),
    )
    assert profile_of(None) == MatchProfile()
    assert set(KEYWORDS) >= {"rain", "vinyl", "808"}


def test_compatibility_reasons_in_the_seeds_words() -> None:
    a = MatchProfile(
        genre=Genre.TRAP, mood=Mood.DARK, energy=8, keywords=frozenset({"808", "night", "city"})
    )
    b = MatchProfile(
        genre=Genre.TRAP,
        mood=Mood.MYSTERIOUS,
        energy=6,
        keywords=frozenset({"808", "night", "city", "neon"}),
    )
    assert compatibility_reasons(a, b) == [
        "Both love trap music",
        "Shared vibes: 808, city, night",
        "Similar energy levels",
        "Compatible dark and mysterious moods",
    ]
    assert compatibility_reasons(A, B) == []


def test_best_matches_filter_by_minimum_sort_by_score_then_id_and_cut() -> None:
    me = MatchProfile(genre=Genre.LOFI, mood=Mood.CHILL)
    twin = MatchProfile(genre=Genre.LOFI, mood=Mood.CHILL)
    far = MatchProfile(genre=Genre.DRILL, mood=Mood.AGGRESSIVE, energy=10, complexity=10)
    candidates = [Candidate("c", twin), Candidate("a", twin), Candidate("b", far)]
    found = best_matches(me, candidates, limit=10, min_similarity=0.3)
    assert [s.id for s in found] == ["a", "c"]
    assert [s.id for s in best_matches(me, candidates, limit=1, min_similarity=0.0)] == ["a"]


# collaboration potential


def test_different_genres_add_their_synergy_times_0_4() -> None:
    a = MatchProfile(genre=Genre.LOFI, mood=Mood.CHILL, energy=1, complexity=5)
    b = MatchProfile(genre=Genre.JAZZ, mood=Mood.CHILL, energy=10, complexity=5)
    assert collaboration_potential(a, b) == pytest.approx(0.9 * 0.4)
    same = MatchProfile(genre=Genre.LOFI, mood=Mood.CHILL, energy=10, complexity=5)
    assert collaboration_potential(a, same) == 0.0


@pytest.mark.parametrize(("gap", "bonus"), [(2, 0.0), (3, 0.3), (6, 0.3), (7, 0.0)])
def test_a_complexity_gap_of_three_to_six_adds_0_3(gap: int, bonus: float) -> None:
    a = MatchProfile(genre=Genre.LOFI, mood=Mood.CHILL, energy=1, complexity=1)
    b = MatchProfile(genre=Genre.LOFI, mood=Mood.CHILL, energy=10, complexity=1 + gap)
    assert collaboration_potential(a, b) == bonus


@pytest.mark.parametrize(
    ("energy", "mood", "bonus"),
    [(3, Mood.DARK, 0.3), (4, Mood.DARK, 0.0), (3, Mood.CHILL, 0.0), (1, None, 0.3)],
)
def test_close_energy_with_different_moods_adds_0_3(
    energy: int, mood: Mood | None, bonus: float
) -> None:
    a = MatchProfile(genre=Genre.LOFI, mood=Mood.CHILL, energy=1, complexity=1)
    b = MatchProfile(genre=Genre.LOFI, mood=mood, energy=energy, complexity=1)
    assert collaboration_potential(a, b) == bonus


def test_all_three_parts_add_up() -> None:
    a = MatchProfile(genre=Genre.LOFI, mood=Mood.CHILL, energy=5, complexity=1)
    b = MatchProfile(genre=Genre.JAZZ, mood=Mood.DARK, energy=5, complexity=5)
    assert collaboration_potential(a, b) == pytest.approx(0.36 + 0.3 + 0.3)


def test_at_most_five_suggestions_strictly_above_0_4() -> None:
    me = MatchProfile(genre=Genre.LOFI, mood=Mood.CHILL, energy=5, complexity=1)
    # jazz: 0.36 + 0.3 (gap 4) = 0.66; pop: 0.24 + 0.3 (close energy, other mood) = 0.54;
    # techno: 0.12 + 0.3 = 0.42; the same genre with only the gap: 0.3, left out
    jazz = MatchProfile(genre=Genre.JAZZ, mood=Mood.CHILL, energy=10, complexity=5)
    techno = MatchProfile(genre=Genre.TECHNO, mood=Mood.CHILL, energy=10, complexity=5)
    pop = MatchProfile(genre=Genre.POP, mood=Mood.DARK, energy=5, complexity=1)
    same = MatchProfile(genre=Genre.LOFI, mood=Mood.CHILL, energy=10, complexity=5)
    candidates = [Candidate(f"jazz{i}", jazz) for i in range(4)] + [
        Candidate("techno", techno),
        Candidate("pop", pop),
        Candidate("same", same),
    ]
    found = best_collaborations(me, candidates)
    assert [s.id for s in found] == ["jazz0", "jazz1", "jazz2", "jazz3", "pop"]
    assert len(best_collaborations(me, candidates, limit=10)) == 6


def test_collaboration_type_and_reason_follow_the_largest_part() -> None:
    me = MatchProfile(genre=Genre.LOFI, mood=Mood.CHILL, energy=5, complexity=1)
    jazz = MatchProfile(genre=Genre.JAZZ, mood=Mood.CHILL, energy=10, complexity=5)
    assert collaboration_type(me, jazz) is CollaborationType.GENRE_FUSION
    assert collaboration_reason(me, jazz) == (
        "Your lo-fi and their jazz: a proven fusion. Your patterns are complexity 1, theirs 5: "
        "enough apart to learn from each other."
    )
    teacher = MatchProfile(genre=Genre.LOFI, mood=Mood.CHILL, energy=10, complexity=6)
    assert collaboration_type(me, teacher) is CollaborationType.SKILL_EXCHANGE
    contrast = MatchProfile(genre=Genre.LOFI, mood=Mood.DARK, energy=6, complexity=1)
    assert collaboration_type(me, contrast) is CollaborationType.MOOD_CONTRAST
    assert collaboration_reason(me, contrast) == (
        "Similar energy, different moods: your chill against their dark."
    )
    assert collaboration_type(me, me) is None


def test_the_synergy_table_covers_every_pair_of_genres_once() -> None:
    genres = list(Genre)
    for a in genres:
        assert genre_synergy(a, a) == 0.0
        assert genre_synergy(a, None) == 0.0
        for b in genres:
            if a is not b:
                assert 0.0 <= genre_synergy(a, b) <= 1.0
                assert genre_synergy(a, b) == genre_synergy(b, a)
    assert genre_synergy(Genre.LOFI, Genre.JAZZ) >= 0.8
    assert genre_synergy(Genre.DRILL, Genre.AMBIENT) <= 0.2
