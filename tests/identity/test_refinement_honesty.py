"""A refinement does what it says, or says that it can't (conversation.refine, pure)."""

from __future__ import annotations

import pytest

from notalabel.engine.language import analyze_description
from notalabel.engine.pattern import PatternModel, generate_pattern, refine_pattern
from notalabel.engine.vocabulary import Adjustment, AdjustmentKind, Genre
from notalabel.identity import conversation

PHRASES = {
    "more bass": AdjustmentKind.MORE_BASS,
    "less bass": AdjustmentKind.LESS_BASS,
    "make it dreamy": AdjustmentKind.MORE_DREAMY,
    "faster": AdjustmentKind.FASTER,
    "slower": AdjustmentKind.SLOWER,
    "simpler": AdjustmentKind.SIMPLER,
    "more complex": AdjustmentKind.MORE_COMPLEX,
    "add a melody": AdjustmentKind.ADD_MELODY,
    "darker": AdjustmentKind.DARKER,
    "brighter": AdjustmentKind.BRIGHTER,
    "more energy": AdjustmentKind.MORE_ENERGY,
    "less energy": AdjustmentKind.LESS_ENERGY,
}


def pushed(model: PatternModel, kind: AdjustmentKind, times: int = 8) -> PatternModel:
    """The model after `times` of the same adjustment: at its bound."""
    for _ in range(times):
        model = refine_pattern(model, [Adjustment(kind)], 3).model
    return model


def start(description: str, seed: int = 3) -> PatternModel:
    return generate_pattern(analyze_description(description), seed).model


@pytest.mark.parametrize(
    ("kind", "phrase", "limit"),
    [
        (AdjustmentKind.SIMPLER, "simpler", "as simple as it gets"),
        (AdjustmentKind.MORE_ENERGY, "more energy", "the energy is at its top"),
        (AdjustmentKind.LESS_ENERGY, "less energy", "the energy is at its lowest"),
    ],
)
def test_at_a_bound_nothing_is_claimed(kind: AdjustmentKind, phrase: str, limit: str) -> None:
    model = pushed(start("dark techno for the gym"), kind)
    result = conversation.refine(model, phrase, 3)
    assert result.pattern is None  # the flow answers success: false and keeps the pattern
    assert limit in result.message
    assert "I " not in result.message.split(":")[0]  # no "I stripped it back"


def test_a_partly_possible_refinement_says_which_part_stayed() -> None:
    model = pushed(start("dark techno for the gym"), AdjustmentKind.SIMPLER)
    result = conversation.refine(model, "simpler and more bass", 3)
    assert result.pattern is not None
    assert result.message.startswith(
        "🎵 I pushed the bass forward; it is as simple as it gets, so that stayed."
    )


@pytest.mark.parametrize("genre", list(Genre))
def test_every_answer_either_changes_what_plays_or_says_it_cannot(genre: Genre) -> None:
    for seed in (1, 2):
        model = start(f"{genre.value} music", seed)
        current = refine_pattern(model, (), seed).code
        for phrase, kind in PHRASES.items():
            result = conversation.refine(model, phrase, seed)
            assert [a.kind for a in result.adjustments] == [kind], phrase
            if result.pattern is None:
                assert result.message.startswith("That one can't go further"), phrase
            else:
                assert result.pattern.code != current, (genre, seed, phrase)
                assert "can't go further" not in result.message
