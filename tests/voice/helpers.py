"""Voice API helpers: enrolled artists and spoken challenges from synthetic speakers."""

from __future__ import annotations

from itertools import cycle
from typing import Any

import httpx
from sqlalchemy import update

from notalabel.container import Container
from notalabel.engine.pattern import generate_pattern
from notalabel.engine.vocabulary import Genre, Mood, MusicDNA
from notalabel.voice.digits import spoken_phrase
from notalabel.voice.humming import Note, hummable, signature_melody
from notalabel.voice.models import VoiceChallenge
from tests.users.factories import Artist, make_artist
from tests.voice.speakers import synthesise, to_wav_bytes

ENROL = "/api/voice/enroll"
SIGNATURE = "/api/voice/signature"
CHALLENGE = "/api/auth/voice/challenge"
LOGIN = "/api/auth/voice/login"
SENTENCES = (
    "My favourite music has deep bass and slow, dreamy chords.",
    "I make beats late at night with a cup of tea beside me.",
    "The quick brown fox jumps over the lazy dog by the river.",
)
# digit strings the test voices say clearly, no two sharing more than one position (a
# recording of one is no near-copy of another)
ANSWERS = cycle(["4072", "9138", "2605", "7351", "5860", "3427", "6914", "1593", "8246", "0789"])


def wav(voice: str, text: str) -> bytes:
    """A 16 kHz WAV of `voice` saying `text`."""
    return to_wav_bytes(synthesise(voice, text))


def said(voice: str, digits: str) -> bytes:
    """A WAV of `voice` reading the digits one by one, as a person answers a challenge."""
    return wav(voice, ", ".join(spoken_phrase(digits).split()))


def samples(voice: str) -> list[tuple[str, tuple[str, bytes, str]]]:
    """The three enrolment samples of `voice` as multipart files."""
    return [("sample", (f"s{i}.wav", wav(voice, text), "audio/wav"))
            for i, text in enumerate(SENTENCES)]  # fmt: skip


async def allow_voice(client: httpx.AsyncClient, artist: Artist) -> None:
    """Turn on allowVoiceAuth, as the artist would in their preferences."""
    answer = await client.patch(
        "/api/users/me", json={"preferences": {"allowVoiceAuth": True}}, headers=artist.headers
    )
    assert answer.status_code == 200, answer.text


async def enrolled_artist(
    client: httpx.AsyncClient, container: Container, name: str, voice: str
) -> Artist:
    """An artist with voice login on and a voice signature of `voice`."""
    artist = await make_artist(container, name)
    await allow_voice(client, artist)
    answer = await client.post(ENROL, files=samples(voice), headers=artist.headers)
    assert answer.status_code == 201, answer.text
    return artist


async def challenge(client: httpx.AsyncClient, name: str) -> dict[str, Any]:
    """A fresh challenge for `name`."""
    answer = await client.post(CHALLENGE, json={"artistName": name})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def pin_digits(container: Container, challenge_id: str, digits: str) -> None:
    """Make a challenge ask for `digits`, so a test's synthetic answer is the same every run."""
    async with container.db.transaction() as tx:
        await tx.execute(
            update(VoiceChallenge).where(VoiceChallenge.id == challenge_id).values(digits=digits)
        )


async def voice_login(
    client: httpx.AsyncClient,
    container: Container,
    name: str,
    voice: str,
    *,
    digits: str | None = None,
) -> httpx.Response:
    """Ask for a challenge and answer it as `voice`, saying `digits` instead if given.

    The challenge is pinned to the next of ANSWERS: random digits would make the synthetic
    speakers' scores (and so the test) differ from run to run; tests/voice/test_digits.py
    and benchmarks/voice.py measure recognition of random ones.
    """
    asked = await challenge(client, name)
    pinned = next(ANSWERS)
    await pin_digits(container, asked["challengeId"], pinned)
    audio = said(voice, digits or pinned)
    return await client.post(
        LOGIN,
        data={"challengeId": asked["challengeId"]},
        files={"audio": ("login.wav", audio, "audio/wav")},
    )


MELODIC_DNA = {"primaryGenre": "jazz", "preferredMood": "dreamy", "energyLevel": 5, "complexity": 8}


async def melodic_signature(http: httpx.AsyncClient, headers: dict[str, str]) -> tuple[Note, ...]:
    """Make the artist's signature a pattern with a hummable lead, through the API; its tune."""
    dna = MusicDNA(primary_genre=Genre("jazz"), preferred_mood=Mood("dreamy"),
                   energy_level=5, complexity=8)  # fmt: skip
    seed = next(s for s in range(200) if hummable(signature_melody(generate_pattern(dna, s).model)))
    built = generate_pattern(dna, seed)
    made = await http.post(
        "/api/patterns", json={"musicDNA": MELODIC_DNA, "seed": seed}, headers=headers
    )
    assert made.status_code == 201, made.text
    assert made.json()["code"] == built.code  # the service built the very pattern hummed here
    chosen = await http.put(
        "/api/users/me/signature", json={"patternId": made.json()["id"]}, headers=headers
    )
    assert chosen.status_code == 200, chosen.text
    return signature_melody(built.model)
