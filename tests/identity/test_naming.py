"""Artist names: extraction, rules, availability, suggestions and races."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from notalabel.container import Container
from notalabel.identity.models import IdentitySession
from notalabel.identity.naming import name_key, name_problem, suggestion_candidates
from notalabel.users.models import User
from notalabel.users.service import new_artist
from tests.identity.factories import FINALIZE, onboard, say, session_at_confirmation, start


async def session_at_naming(client: httpx.AsyncClient) -> str:
    session_id = await start(client)
    await say(client, session_id, "moody trap with 808s")
    await say(client, session_id, "perfect")
    return session_id


@pytest.mark.parametrize(
    "text", ["call me DreamyBeats", "I'm DreamyBeats", "DreamyBeats", "my name is DreamyBeats"]
)
async def test_name_is_extracted(client: httpx.AsyncClient, text: str) -> None:
    session_id = await session_at_naming(client)
    named = await say(client, session_id, text)
    assert named["artistName"] == "DreamyBeats"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("A", "invalid_length"),
        ("x" * 33, "invalid_length"),
        ("bad<name>", "invalid_characters"),
        ("_under", "invalid_start"),
        ("admin", "reserved"),
        ("NALA", "reserved"),
        ("Sys.tem", "reserved"),
    ],
)
def test_name_rules(name: str, code: str) -> None:
    problem = name_problem(name)
    assert problem is not None
    assert problem.code == code


@pytest.mark.parametrize("name", ["DJ Sol", "lo-fi.kid", "Beats_99", "Ñandú", "ab"])
def test_valid_names(name: str) -> None:
    assert name_problem(name) is None


def test_suggestions_are_valid_and_distinct() -> None:
    candidates = suggestion_candidates("A" * 32, "lo-fi", "dreamy")
    assert len(candidates) >= 10
    assert all(name_problem(c) is None for c in candidates)
    assert len({c.casefold() for c in candidates}) == len(candidates)


async def test_reserved_name_is_refused(client: httpx.AsyncClient) -> None:
    session_id = await session_at_naming(client)
    answer = await say(client, session_id, "call me Support")
    assert answer["success"] is False
    assert answer["nextStep"] == "naming"
    assert "reserved" in answer["message"]
    # what it offers instead is not built on the reserved word
    admin = await say(client, session_id, "call me admin")
    assert "reserved" in admin["message"]
    assert len(admin["suggestions"]) == 3
    assert not [s for s in admin["suggestions"] if name_key("admin") in name_key(s)]


async def test_a_name_too_long_is_refused_with_its_length(client: httpx.AsyncClient) -> None:
    session_id = await session_at_naming(client)
    answer = await say(
        client, session_id, "my name is The Night Owl Collective of Brooklyn New York"
    )
    assert answer["success"] is False
    assert answer["message"] == (
        '❌ "The Night Owl Collective of Brooklyn New York" is 45 characters long; '
        "artist names are 2 to 32 characters long."
    )


async def test_taken_name_gets_three_available_suggestions(client: httpx.AsyncClient) -> None:
    await onboard(client, "DreamyBeats")
    session_id = await session_at_naming(client)
    answer = await say(client, session_id, "call me dreamybeats")
    assert answer["success"] is False
    assert answer["nextStep"] == "naming"
    suggestions = answer["suggestions"]
    assert len(suggestions) >= 3
    # none is built on the name someone else holds
    assert not [s for s in suggestions if name_key("DreamyBeats") in name_key(s).replace(" ", "")]
    # each suggestion really is available
    picked = await say(client, session_id, suggestions[0])
    assert picked["nextStep"] == "confirmation"


async def test_name_reserved_by_a_live_session_is_unavailable(client: httpx.AsyncClient) -> None:
    await session_at_confirmation(client, "HeldName")
    session_id = await session_at_naming(client)
    answer = await say(client, session_id, "HELDNAME")
    assert answer["success"] is False
    assert answer["suggestions"]


async def test_names_are_unique_case_insensitively_in_the_database(
    container: Container,
) -> None:
    def artist(name: str) -> User:
        return new_artist(
            artist_name=name,
            name_key=name_key(name),
            music_dna={},
            signature_pattern={},
            bio="",
            collaboration_openness=5,
        )

    async with container.db.transaction() as tx:
        tx.add(artist("CaseTest"))
    with pytest.raises(IntegrityError):
        async with container.db.transaction() as tx:
            tx.add(artist("casetest"))


async def test_twenty_concurrent_finalizations_create_one_user(
    client: httpx.AsyncClient, container: Container
) -> None:
    sessions = []
    for index in range(20):
        session_id = await session_at_confirmation(client, f"Racer{index}")
        sessions.append(session_id)
    # Every session now wants the same name; reservations are skipped by writing it directly,
    # as happens when two visitors reach confirmation in the same instant.
    async with container.db.transaction() as tx:
        await tx.execute(
            update(IdentitySession)
            .where(IdentitySession.id.in_(sessions))
            .values(tentative_artist_name="SameName", tentative_name_key=name_key("SameName"))
        )

    responses = await asyncio.gather(
        *(client.post(FINALIZE, json={"sessionId": s}) for s in sessions)
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(200) == 1, [r.text for r in responses if r.status_code != 409]
    assert statuses.count(409) == 19
    losers = [r.json()["error"] for r in responses if r.status_code == 409]
    assert all(e["code"] == "artist_name_taken" for e in losers)
    assert all(len(e["details"]["suggestions"]) >= 3 for e in losers)
    assert all(e["details"]["step"] == "naming" for e in losers)
    async with container.db.transaction() as tx:
        count = await tx.scalar(
            select(func.count())
            .select_from(User)
            .where(User.artist_name_key == name_key("SameName"))
        )
        assert count == 1
        total = await tx.scalar(select(func.count()).select_from(User))
        assert total == 1
    loser_session = sessions[[r.status_code for r in responses].index(409)]
    state = await client.get(f"/api/auth/musical-identity/session/{loser_session}")
    assert state.json()["step"] == "naming"


@pytest.mark.parametrize(
    ("genre", "word"),
    [
        ("lo-fi", "LoFi"), ("hip-hop", "HipHop"), ("trap", "Trap"), ("drill", "Drill"),
        ("house", "House"), ("techno", "Techno"), ("ambient", "Ambient"),
        ("drum-and-bass", "DnB"), ("dubstep", "Dub"), ("synthwave", "Wave"),
        ("afrobeats", "Afro"), ("reggaeton", "Perreo"), ("jazz", "Jazz"), ("pop", "Pop"),
    ],
)  # fmt: skip
def test_suggestions_speak_the_artists_genre(genre: str, word: str) -> None:
    assert suggestion_candidates("Nova", genre, "chill")[1].endswith(f" {word}")


@pytest.mark.parametrize(
    ("mood", "word"),
    [
        ("chill", "Chill"),
        ("dreamy", "Dream"),
        ("study", "Focus"),
        ("aggressive", "Rage"),
        ("melodic", "Melody"),
        ("dark", "Shadow"),
        ("energetic", "Volt"),
        ("upbeat", "Bright"),
        ("mysterious", "Mystic"),
        ("melancholic", "Blue"),
    ],
)
def test_suggestions_speak_the_artists_mood(mood: str, word: str) -> None:
    assert suggestion_candidates("Luna", "jazz", mood)[0].startswith(f"{word} ")


def test_without_genre_or_mood_the_suggestions_still_read_well() -> None:
    first, second = suggestion_candidates("Aria", None, None)[:2]
    assert first.startswith("Nova ")
    assert second.endswith(" Beats")


@pytest.mark.parametrize(
    "wanted", ["DreamyBeats", "admin", "Nova", "Static", "Chill", "Sunset Boulevard Beats.-Remix"]
)
def test_no_suggestion_is_built_on_the_name_that_was_refused(wanted: str) -> None:
    # a suggestion made of someone else's name or of a reserved word would pass for them,
    # even when the refused name is one of the DNA's or the suggestions' own words
    refused = "".join(ch for ch in name_key(wanted) if ch.isalnum())
    for genre, mood in [("lo-fi", "chill"), (None, None), ("ambient", "dreamy")]:
        candidates = suggestion_candidates(wanted, genre, mood)
        assert len(candidates) >= 10
        assert not [c for c in candidates if refused in name_key(c).replace(" ", "")]


def test_suggestions_are_stable_for_a_name_and_vary_between_names() -> None:
    assert suggestion_candidates("Luna", "jazz", "chill") == suggestion_candidates(
        "Luna", "jazz", "chill"
    )
    firsts = {suggestion_candidates(n, "jazz", "chill")[0] for n in ("Luna", "Mira", "Kai", "Zed")}
    assert len(firsts) > 1
