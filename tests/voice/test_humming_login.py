"""The optional second factor: humming the signature melody after saying the digits."""

from __future__ import annotations

import httpx
import pytest

from notalabel.container import Container
from notalabel.engine.pattern import generate_pattern
from notalabel.engine.vocabulary import Genre, Mood, MusicDNA
from notalabel.voice.humming import Note, hummable, signature_melody
from tests.patterns.factories import insert_row
from tests.users.factories import Artist
from tests.voice.helpers import (
    ANSWERS,
    LOGIN,
    SIGNATURE,
    challenge,
    enrolled_artist,
    pin_digits,
    said,
)
from tests.voice.hums import synthesise_hum
from tests.voice.speakers import require_voices, to_wav_bytes


@pytest.fixture(autouse=True)
def _synthesisers() -> None:
    require_voices()


async def with_melodic_signature(container: Container, artist: Artist) -> tuple[Note, ...]:
    """Give the artist a signature pattern whose lead can be hummed; its melody."""
    for seed in range(100):
        dna = MusicDNA(primary_genre=Genre("jazz"), preferred_mood=Mood("dreamy"),
                       energy_level=5, complexity=8)  # fmt: skip
        built = generate_pattern(dna, seed=seed)
        melody = signature_melody(built.model)
        if hummable(melody):
            await insert_row(container, artist.user.id, is_signature=True,
                             model=built.model.to_json(), strudel_code=built.code)  # fmt: skip
            return melody
    raise AssertionError("no hummable signature in 100 seeds")


async def log_in(
    client: httpx.AsyncClient, container: Container, name: str, hum: bytes | None
) -> httpx.Response:
    asked = await challenge(client, name)
    digits = next(ANSWERS)
    await pin_digits(container, asked["challengeId"], digits)
    files = {"audio": ("a.wav", said("flite-rms", digits), "audio/wav")}
    if hum is not None:
        files["hum"] = ("hum.wav", hum, "audio/wav")
    return await client.post(LOGIN, data={"challengeId": asked["challengeId"]}, files=files)


async def test_humming_the_signature_melody_is_a_second_factor(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await enrolled_artist(client, container, "Hummer", "flite-rms")
    refused = await client.patch(SIGNATURE, json={"requireHumming": True}, headers=artist.headers)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "voice_humming_unavailable"

    melody = await with_melodic_signature(container, artist)
    turned_on = await client.patch(SIGNATURE, json={"requireHumming": True}, headers=artist.headers)
    assert turned_on.status_code == 200
    assert turned_on.json()["settings"]["requireHumming"] is True

    voice_only = await log_in(client, container, "Hummer", None)
    assert voice_only.status_code == 401
    assert voice_only.json()["error"]["code"] == "voice_humming_required"

    other = [n._replace(midi=n.midi + (3 if i % 2 else -4)) for i, n in enumerate(melody)]
    wrong_tune = to_wav_bytes(synthesise_hum(other, seed=3))
    answer = await log_in(client, container, "Hummer", wrong_tune)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "voice_not_recognized"

    # another key and a quicker tempo: the tune is what counts
    hummed = to_wav_bytes(synthesise_hum(melody, transpose=3, tempo=1.2, seed=5))
    answer = await log_in(client, container, "Hummer", hummed)
    assert answer.status_code == 200, answer.text
