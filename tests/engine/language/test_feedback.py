"""analyze_feedback: accepts, adjustments, negations and several requests at once."""

from __future__ import annotations

import pytest

from notalabel.engine.language import analyze_feedback
from notalabel.engine.vocabulary import Adjustment, AdjustmentKind, Feedback, Genre

K = AdjustmentKind


@pytest.mark.parametrize(
    "text",
    [
        "love it",
        "Perfect!",
        "yes",
        "yeah",
        "great",
        "sounds good",
        "that's it",
        "keep it",
        "awesome",
        "nailed it",
        "👍",
        "LOVE IT 🔥",
        "not bad at all",
        "don't change anything",
    ],
)
def test_accept(text: str) -> None:
    assert analyze_feedback(text) == Feedback(accept=True)


def kinds(text: str) -> set[AdjustmentKind]:
    result = analyze_feedback(text)
    assert result.accept is False
    return {a.kind for a in result.adjustments}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("more bass", K.MORE_BASS),
        ("heavier bass", K.MORE_BASS),
        ("more low end", K.MORE_BASS),
        ("boost the bass", K.MORE_BASS),
        ("not enough bass", K.MORE_BASS),
        ("too much bass", K.LESS_BASS),
        ("the bass is too loud", K.LESS_BASS),
        ("turn the bass down", K.LESS_BASS),
        ("faster", K.FASTER),
        ("too slow", K.FASTER),
        ("speed it up", K.FASTER),
        ("not so fast", K.SLOWER),
        ("slow it down", K.SLOWER),
        ("less busy", K.SIMPLER),
        ("it's too chaotic", K.SIMPLER),
        ("simpler", K.SIMPLER),
        ("more complex", K.MORE_COMPLEX),
        ("it's too repetitive", K.MORE_COMPLEX),
        ("add a melody", K.ADD_MELODY),
        ("needs a tune", K.ADD_MELODY),
        ("not dark enough", K.DARKER),
        ("darker", K.DARKER),
        ("too happy", K.DARKER),
        ("lighter", K.BRIGHTER),
        ("happier", K.BRIGHTER),
        ("too dark", K.BRIGHTER),
        ("more chill", K.LESS_ENERGY),
        ("calmer", K.LESS_ENERGY),
        ("too intense", K.LESS_ENERGY),
        ("more hype", K.MORE_ENERGY),
        ("it's boring", K.MORE_ENERGY),
        ("dreamier", K.MORE_DREAMY),
        ("more ethereal", K.MORE_DREAMY),
        ("spacey", K.MORE_DREAMY),
        ("fastr", K.FASTER),
    ],
)
def test_single_adjustment(text: str, kind: AdjustmentKind) -> None:
    assert kinds(text) == {kind}


def test_several_adjustments_in_one_sentence() -> None:
    assert kinds("more bass and faster") == {K.MORE_BASS, K.FASTER}
    assert kinds("too fast and too busy") == {K.SLOWER, K.SIMPLER}
    assert kinds("it needs more bass and a melody") == {K.MORE_BASS, K.ADD_MELODY}
    assert kinds("calmer, less bass, dreamier") == {K.LESS_ENERGY, K.LESS_BASS, K.MORE_DREAMY}


def test_praise_with_a_request_is_an_adjustment() -> None:
    assert analyze_feedback("love it but faster") == Feedback(
        accept=False, adjustments=(Adjustment(K.FASTER),)
    )
    assert kinds("perfect, just a little more bass") == {K.MORE_BASS}


def test_different_style_with_and_without_target() -> None:
    assert analyze_feedback("make it more like house").adjustments == (
        Adjustment(K.DIFFERENT_STYLE, Genre.HOUSE),
    )
    assert analyze_feedback("try a different style").adjustments == (Adjustment(K.DIFFERENT_STYLE),)
    assert analyze_feedback("more like drum and bass").adjustments == (
        Adjustment(K.DIFFERENT_STYLE, Genre.DRUM_AND_BASS),
    )
    assert analyze_feedback("less techno").adjustments == (Adjustment(K.DIFFERENT_STYLE),)


@pytest.mark.parametrize("text", ["what?", "", "hmm", "hmm let me think", "wait"])
def test_unrecognized_or_undecided_changes_nothing(text: str) -> None:
    assert analyze_feedback(text) == Feedback(accept=False)


@pytest.mark.parametrize(
    "text",
    ["no", "hmm not really", "I don't like it", "meh", "nah", "not my thing", "I dont think so"],
)
def test_a_no_without_a_direction_asks_for_something_different(text: str) -> None:
    # the artist said no to this one: answering with the same pattern ignores them
    assert analyze_feedback(text) == Feedback(
        accept=False, adjustments=(Adjustment(K.DIFFERENT_STYLE),)
    )


@pytest.mark.parametrize(
    "text", ["that's me", "this is my sound", "yep, that's me", "this is so me", "my vibe"]
)
def test_a_short_first_person_yes_is_acceptance(text: str) -> None:
    assert analyze_feedback(text) == Feedback(accept=True)


def test_a_no_with_a_direction_takes_the_direction() -> None:
    assert analyze_feedback("no, more bass") == Feedback(
        accept=False, adjustments=(Adjustment(K.MORE_BASS),)
    )
    assert analyze_feedback("that's not me, too dark").adjustments == (Adjustment(K.BRIGHTER),)
