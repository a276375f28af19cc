"""What the onboarding says and decides at each step (pure, no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from notalabel.engine.language import analyze_description, analyze_feedback, describe_vibe
from notalabel.engine.pattern import (
    GeneratedPattern,
    PatternModel,
    generate_pattern,
    refine_pattern,
)
from notalabel.engine.vocabulary import Adjustment, AdjustmentKind, MusicDNA


class Step(StrEnum):
    """The onboarding steps, in order."""

    DISCOVERY = "discovery"
    REFINEMENT = "refinement"
    NAMING = "naming"
    CONFIRMATION = "confirmation"
    COMPLETED = "completed"


PROMPTS = {
    Step.DISCOVERY: "Describe the music you love: genres, moods, where you listen to it.",
    Step.REFINEMENT: "How does this feel? (love it / make it [adjustment] / try different style)",
    Step.NAMING: "What should I call you in our creative community?",
    Step.CONFIRMATION: "Ready to join the community with this identity? (yes / no)",
    Step.COMPLETED: "Your musical identity is ready.",
}
WELCOME = "🎵 Welcome to Not a Label! No forms here: tell me about your sound."

_ADJUSTMENT_PHRASES = {
    AdjustmentKind.MORE_BASS: "pushed the bass forward",
    AdjustmentKind.LESS_BASS: "pulled the bass back",
    AdjustmentKind.MORE_DREAMY: "added space and haze",
    AdjustmentKind.FASTER: "picked up the tempo",
    AdjustmentKind.SLOWER: "slowed it down",
    AdjustmentKind.SIMPLER: "stripped it back",
    AdjustmentKind.MORE_COMPLEX: "added more going on",
    AdjustmentKind.ADD_MELODY: "brought in a melody",
    AdjustmentKind.DARKER: "made it darker",
    AdjustmentKind.BRIGHTER: "brightened it up",
    AdjustmentKind.MORE_ENERGY: "turned up the energy",
    AdjustmentKind.LESS_ENERGY: "calmed it down",
}
# what is true when an adjustment can go no further (said instead of claiming a change)
_LIMIT_PHRASES = {
    AdjustmentKind.MORE_BASS: "the bass is as heavy as it goes",
    AdjustmentKind.LESS_BASS: "the bass is as light as it goes",
    AdjustmentKind.MORE_DREAMY: "it is as spacious as it goes",
    AdjustmentKind.FASTER: "it is as fast as this style goes",
    AdjustmentKind.SLOWER: "it is as slow as this style goes",
    AdjustmentKind.SIMPLER: "it is as simple as it gets",
    AdjustmentKind.MORE_COMPLEX: "it is as busy as it gets",
    AdjustmentKind.ADD_MELODY: "the melody is as full as I can make it",
    AdjustmentKind.DARKER: "it is as dark as it goes",
    AdjustmentKind.BRIGHTER: "it is as bright as it goes",
    AdjustmentKind.MORE_ENERGY: "the energy is at its top",
    AdjustmentKind.LESS_ENERGY: "the energy is at its lowest",
}
_YES = re.compile(r"^(y|yes|yeah|yep|yup|sure|ok|okay|confirm|do it|let'?s go|absolutely)\b")
_NO = re.compile(r"^(n|no|nope|nah|not yet|wait|change|another|different|go back)\b")


@dataclass(frozen=True, slots=True)
class Discovery:
    """The reading of a description and the first pattern made from it."""

    dna: MusicDNA
    pattern: GeneratedPattern
    message: str


@dataclass(frozen=True, slots=True)
class Refinement:
    """The reading of a refinement answer: accepted, a new pattern, or not understood."""

    accepted: bool
    adjustments: tuple[Adjustment, ...]
    pattern: GeneratedPattern | None
    message: str


def discover(text: str, seed: int) -> Discovery:
    """Understand a description and answer with a first pattern."""
    dna = analyze_description(text)
    pattern = generate_pattern(dna, seed)
    if dna.primary_genre is None and dna.preferred_mood is None and not dna.keywords:
        # "hmm", "idk", "music": nothing to go on, so say that this is a guess
        return Discovery(dna, pattern, _first_guess(pattern.genre.value))
    if dna.genre_inferred:
        # no style was named: say which one was picked for them, and that it is a pick
        vibe = ", ".join(describe_vibe(replace(dna, primary_genre=None))) or "own"
        return Discovery(
            dna,
            pattern,
            f"🎵 Here's {pattern.genre.value} for your {vibe} vibe: you didn't name a style, so "
            "I picked the one most listeners reach for. Name another style if you had one in mind.",
        )
    vibe = ", ".join(describe_vibe(dna)) or pattern.genre.value
    return Discovery(dna, pattern, f"🎵 Perfect! This captures your {vibe} vibe.")


def _first_guess(genre: str) -> str:
    return (
        f"🎵 Here's a first guess, a {genre} sketch: I couldn't hear a style in that yet. "
        "Tell me a genre, a mood or where you listen (say 'dreamy ambient for late nights') "
        "and I'll make it yours, or change this one."
    )


def refine(model: PatternModel, text: str, seed: int) -> Refinement:
    """Apply one refinement answer to the current pattern."""
    feedback = analyze_feedback(text)
    if feedback.accept:
        return Refinement(True, (), None, "✨ Perfect! This sound represents you well.")
    if not feedback.adjustments:
        return Refinement(
            False,
            (),
            None,
            "I didn't catch a change there. Try 'more bass', 'make it dreamy', 'faster', "
            "'try a different style', or say 'love it' to keep it.",
        )
    pattern = refine_pattern(model, feedback.adjustments, seed)
    # an adjustment at its bound changes nothing that plays: say so instead of claiming it
    current = refine_pattern(model, (), seed).code

    def alone(adjustment: Adjustment) -> GeneratedPattern:
        if feedback.adjustments == (adjustment,):
            return pattern  # built already
        return refine_pattern(model, (adjustment,), seed)

    stuck = [
        adjustment
        for adjustment in feedback.adjustments
        if adjustment.kind is not AdjustmentKind.DIFFERENT_STYLE
        and alone(adjustment).code == current
    ]
    limits = "; ".join(dict.fromkeys(_LIMIT_PHRASES[a.kind] for a in stuck))
    if pattern.code == current:
        message = (
            f"That one can't go further: {limits or 'nothing would change'}. Try another "
            "change, 'try a different style', or say 'love it' to keep it."
        )
        return Refinement(False, feedback.adjustments, None, message)
    moved = tuple(a for a in feedback.adjustments if a not in stuck)
    return Refinement(
        False, feedback.adjustments, pattern, refinement_message(moved, pattern, limits)
    )


def refinement_message(
    adjustments: tuple[Adjustment, ...], pattern: GeneratedPattern, limits: str = ""
) -> str:
    """Say in words what a refinement changed (and, in `limits`, what could not move)."""
    parts = []
    for adjustment in adjustments:
        if adjustment.kind is AdjustmentKind.DIFFERENT_STYLE:
            parts.append(f"switched to a {pattern.genre.value} style")
        else:
            parts.append(_ADJUSTMENT_PHRASES[adjustment.kind])
    said = ", ".join(dict.fromkeys(parts))
    stayed = f"; {limits}, so that stayed" if limits else ""
    return f"🎵 I {said}{stayed}. Now {pattern.bpm} bpm in {pattern.key}."


def read_confirmation(text: str) -> bool | None:
    """True for yes, False for no, None when the answer is neither."""
    lowered = text.strip().lower()
    if _YES.match(lowered):
        return True
    if _NO.match(lowered):
        return False
    feedback = analyze_feedback(text)
    return True if feedback.accept else None
