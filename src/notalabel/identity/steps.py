"""What each onboarding step does to a session, inside one Core transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from notalabel.db import utcnow
from notalabel.engine.language import extract_artist_name
from notalabel.engine.pattern import PatternModel
from notalabel.identity import conversation
from notalabel.identity.availability import available_suggestions, taken_name_keys
from notalabel.identity.conversation import PROMPTS, Step
from notalabel.identity.naming import clean_name, name_key, name_problem
from notalabel.identity.records import pattern_out, pattern_record
from notalabel.identity.schemas import MusicDNAOut, ProcessResponse
from notalabel.identity.store import SessionState


def record(state: SessionState, step: Step, text: str, data: dict[str, Any]) -> None:
    """Append one answer to the session's transcript."""
    entry = {"step": step.value, "input": text, "processedData": data}
    entry["timestamp"] = utcnow().isoformat()
    state.set(user_responses=[*state.user_responses, entry])


def reply(step: Step, next_step: Step, message: str, *, success: bool) -> ProcessResponse:
    """The plain answer of a step: where the session is now and what to say."""
    return ProcessResponse(
        success=success,
        step=step.value,
        next_step=next_step.value,
        message=message,
        prompt=PROMPTS[next_step],
    )


def discover(state: SessionState, text: str) -> ProcessResponse:
    """Read the description and answer with a first pattern."""
    found = conversation.discover(text, state.seed)
    dna = found.dna.to_json()
    pattern = pattern_record(found.pattern, Step.DISCOVERY, len(state.generated_patterns))
    state.set(music_dna=dna, generated_patterns=[*state.generated_patterns, pattern])
    record(state, Step.DISCOVERY, text, {"musicDNA": dna})
    state.set(current_step=Step.REFINEMENT.value)
    return ProcessResponse(
        success=True,
        step=Step.DISCOVERY.value,
        next_step=Step.REFINEMENT.value,
        message=found.message,
        prompt=PROMPTS[Step.REFINEMENT],
        pattern=pattern_out(pattern),
        music_dna=MusicDNAOut.model_validate(dna),
    )


def refine(state: SessionState, text: str) -> ProcessResponse:
    """Apply feedback to the last pattern, or accept it."""
    model = PatternModel.from_json(state.generated_patterns[-1]["model"])
    seed = state.seed + len(state.generated_patterns)
    result = conversation.refine(model, text, seed)
    kinds = [a.kind.value for a in result.adjustments]
    record(state, Step.REFINEMENT, text, {"accepted": result.accepted, "adjustments": kinds})
    if result.accepted:
        state.set(current_step=Step.NAMING.value)
        return reply(Step.REFINEMENT, Step.NAMING, result.message, success=True)
    if result.pattern is None:
        return reply(Step.REFINEMENT, Step.REFINEMENT, result.message, success=False)
    pattern = pattern_record(result.pattern, Step.REFINEMENT, len(state.generated_patterns))
    pattern["userFeedback"] = text
    pattern["refinementRequests"] = kinds
    state.set(generated_patterns=[*state.generated_patterns, pattern])
    response = reply(Step.REFINEMENT, Step.REFINEMENT, result.message, success=True)
    response.prompt = "How's this version? (love it / another change)"
    response.pattern = pattern_out(pattern)
    return response


def name(conn: Connection, state: SessionState, text: str) -> ProcessResponse:
    """Take an artist name if it is valid and free; otherwise say why and suggest others."""
    chosen = clean_name(extract_artist_name(text) or "")
    problem = name_problem(chosen) if chosen else None
    if not chosen or problem is not None:
        message = (
            problem.message
            if problem
            else "Tell me the name you'd like, e.g. 'call me DreamyBeats'."
        )
        record(state, Step.NAMING, text, {"artistName": chosen, "problem": message})
        response = reply(Step.NAMING, Step.NAMING, f"❌ {message}", success=False)
        if problem is not None and problem.code == "reserved":
            response.suggestions = suggest(conn, state, chosen)
        return response
    if taken_name_keys(conn, [name_key(chosen)], except_session=state.id):
        suggestions = suggest(conn, state, chosen)
        record(state, Step.NAMING, text, {"artistName": chosen, "available": False})
        message = f'❌ "{chosen}" is taken. How about: {", ".join(suggestions)}?'
        return name_unavailable(Step.NAMING, message, suggestions)
    state.set(
        tentative_artist_name=chosen,
        tentative_name_key=name_key(chosen),
        current_step=Step.CONFIRMATION.value,
    )
    record(state, Step.NAMING, text, {"artistName": chosen, "available": True})
    response = reply(
        Step.NAMING, Step.CONFIRMATION, f'🎉 Perfect! "{chosen}" is available.', success=True
    )
    response.artist_name = chosen
    return response


def name_unavailable(step: Step, message: str, suggestions: list[str]) -> ProcessResponse:
    """The answer when the name cannot be had: back to naming, with free alternatives."""
    response = reply(step, Step.NAMING, message, success=False)
    response.prompt = "Choose one of these or suggest another name:"
    response.suggestions = suggestions
    return response


def lose_name(conn: Connection, state: SessionState) -> ProcessResponse:
    """The name went to someone else between naming and confirming: back to naming."""
    lost = state.tentative_artist_name or ""
    suggestions = suggest(conn, state, lost)
    state.set(current_step=Step.NAMING.value, tentative_artist_name=None, tentative_name_key=None)
    message = f'❌ "{lost}" was just taken by someone else. How about: {", ".join(suggestions)}?'
    return name_unavailable(Step.CONFIRMATION, message, suggestions)


def suggest(conn: Connection, state: SessionState, wanted: str) -> list[str]:
    """Free names built from `wanted` and the session's genre and mood (remembered)."""
    dna = state.music_dna or {}
    last = state.generated_patterns[-1] if state.generated_patterns else {}
    genre = last.get("genre") or dna.get("primaryGenre")
    mood = last.get("mood") or dna.get("preferredMood")
    free = available_suggestions(conn, wanted, genre, mood, except_session=state.id)
    state.set(name_alternatives=free)
    return free
