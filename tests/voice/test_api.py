"""Enrolling a voice signature and logging in by voice, through the API."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from notalabel.auth.security_log import SecurityEvent
from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.voice.models import (
    VoiceAttemptPrint,
    VoiceChallenge,
    VoiceEnrolmentSample,
    VoiceSignature,
)
from tests.users.factories import make_artist
from tests.voice.helpers import (
    CHALLENGE,
    ENROL,
    LOGIN,
    SIGNATURE,
    allow_voice,
    challenge,
    enrolled_artist,
    pin_digits,
    said,
    samples,
    voice_login,
    wav,
)
from tests.voice.speakers import require_voices

NOT_RECOGNIZED = "Voice not recognized. Try again or use text login."


@pytest.fixture(autouse=True)
def _synthesisers() -> None:
    require_voices()


async def test_enrol_then_log_in_by_voice(client: httpx.AsyncClient, container: Container) -> None:
    artist = await enrolled_artist(client, container, "VoiceOfRms", "flite-rms")
    signature = await client.get(SIGNATURE, headers=artist.headers)
    assert signature.status_code == 200
    body = signature.json()
    assert body["settings"] == {"confidenceThreshold": 0.85, "maxAttempts": 3,
                                "requireHumming": False}  # fmt: skip
    assert body["sampleCount"] == 3
    assert 0.5 < body["quality"] <= 1
    assert body["usage"]["successfulAuths"] == 0
    assert "embedding" not in signature.text
    assert "voiceprint" not in signature.text

    answer = await voice_login(client, container, "VoiceOfRms", "flite-rms")
    assert answer.status_code == 200, answer.text
    tokens = answer.json()
    me = await client.get("/api/users/me", headers={"Authorization": f"Bearer {tokens['token']}"})
    assert me.json()["artistName"] == "VoiceOfRms"
    usage = (await client.get(SIGNATURE, headers=artist.headers)).json()["usage"]
    assert usage["successfulAuths"] == 1
    assert usage["failedAttempts"] == 0
    assert usage["averageConfidence"] >= 0.85
    assert usage["lastUsed"] is not None
    async with container.db.transaction() as tx:
        kinds = set(
            (
                await tx.scalars(
                    select(SecurityEvent.kind).where(SecurityEvent.user_id == artist.user.id)
                )
            ).all()
        )
    assert {"voice_enrolled", "voice_used"} <= kinds


async def test_another_voice_is_refused_and_counted(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await enrolled_artist(client, container, "VoiceOfSlt", "flite-slt")
    for impostor in ("flite-rms", "flite-awb"):
        answer = await voice_login(client, container, "VoiceOfSlt", impostor)
        assert answer.status_code == 401
        assert answer.json()["error"]["message"] == NOT_RECOGNIZED
    usage = (await client.get(SIGNATURE, headers=artist.headers)).json()["usage"]
    assert usage["failedAttempts"] == 2
    assert usage["successfulAuths"] == 0


async def test_the_right_voice_saying_other_digits_is_refused(
    client: httpx.AsyncClient, container: Container
) -> None:
    await enrolled_artist(client, container, "DigitsMatter", "flite-rms")
    asked = await challenge(client, "DigitsMatter")
    wrong = "".join(str((int(d) + 5) % 10) for d in asked["digits"])
    answer = await client.post(
        LOGIN,
        data={"challengeId": asked["challengeId"]},
        files={"audio": ("a.wav", said("flite-rms", wrong), "audio/wav")},
    )
    assert answer.status_code == 401
    assert answer.json()["error"]["message"] == NOT_RECOGNIZED


async def test_a_challenge_is_used_once_and_lasts_two_minutes(
    client: httpx.AsyncClient, container: Container
) -> None:
    await enrolled_artist(client, container, "OnceOnly", "flite-rms")
    asked = await challenge(client, "OnceOnly")
    assert asked["expiresIn"] == 120
    await pin_digits(container, asked["challengeId"], "3427")
    asked["digits"] = "3427"
    audio = said("flite-rms", asked["digits"])
    form = {"data": {"challengeId": asked["challengeId"]},
            "files": {"audio": ("a.wav", audio, "audio/wav")}}  # fmt: skip
    assert (await client.post(LOGIN, **form)).status_code == 200  # type: ignore[arg-type]
    again = await client.post(LOGIN, **form)  # type: ignore[arg-type]
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "voice_challenge_expired"

    late = await challenge(client, "OnceOnly")
    async with container.db.transaction() as tx:
        await tx.execute(
            update(VoiceChallenge)
            .where(VoiceChallenge.id == late["challengeId"])
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    answer = await client.post(
        LOGIN,
        data={"challengeId": late["challengeId"]},
        files={"audio": ("a.wav", said("flite-rms", late["digits"]), "audio/wav")},
    )
    assert answer.json()["error"]["code"] == "voice_challenge_expired"


async def test_a_challenge_looks_the_same_whoever_is_named(
    client: httpx.AsyncClient, container: Container
) -> None:
    await enrolled_artist(client, container, "HasAVoice", "flite-rms")
    await make_artist(container, "HasNoVoice")
    shapes = []
    for name in ("HasAVoice", "HasNoVoice", "NobodyByThisName"):
        body = await challenge(client, name)
        assert len(body["digits"]) == 4
        assert body["digits"].isdigit()
        assert len(body["phrase"].split()) == 4
        shapes.append({key: type(value) for key, value in body.items()})
    assert shapes[0] == shapes[1] == shapes[2]
    for name in ("HasNoVoice", "NobodyByThisName"):
        answer = await voice_login(client, container, name, "flite-rms")
        assert answer.status_code == 401
        assert answer.json()["error"] == {"code": "voice_not_recognized",
                                          "message": NOT_RECOGNIZED, "details": None}  # fmt: skip


async def test_failures_lock_voice_login_for_a_growing_time(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await enrolled_artist(client, container, "LockMe", "flite-slt")
    for _ in range(3):
        assert (await voice_login(client, container, "LockMe", "flite-rms")).status_code == 401
    async with container.db.transaction() as tx:
        signature = await tx.get(VoiceSignature, artist.user.id)
        assert signature is not None
        assert signature.locked_until is not None
        first_lock = signature.locked_until - utcnow()
    assert timedelta(seconds=50) < first_lock <= timedelta(minutes=1)
    # locked: even the right voice is refused, and failures now are not counted
    assert (await voice_login(client, container, "LockMe", "flite-slt")).status_code == 401
    assert (await voice_login(client, container, "LockMe", "flite-rms")).status_code == 401
    usage = (await client.get(SIGNATURE, headers=artist.headers)).json()["usage"]
    assert usage["failedAttempts"] == 3
    async with container.db.transaction() as tx:
        await tx.execute(
            update(VoiceSignature)
            .where(VoiceSignature.user_id == artist.user.id)
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )
    # one more failure after the lock: twice as long
    assert (await voice_login(client, container, "LockMe", "flite-rms")).status_code == 401
    async with container.db.transaction() as tx:
        signature = await tx.get(VoiceSignature, artist.user.id)
        assert signature is not None
        assert signature.locked_until is not None
        assert signature.locked_until - utcnow() > timedelta(seconds=110)
        await tx.execute(
            update(VoiceSignature)
            .where(VoiceSignature.user_id == artist.user.id)
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )
    assert (await voice_login(client, container, "LockMe", "flite-slt")).status_code == 200


async def test_a_copy_of_an_earlier_recording_is_refused_as_a_replay(
    client: httpx.AsyncClient, container: Container
) -> None:
    await enrolled_artist(client, container, "NoReplays", "flite-rms")
    first = await challenge(client, "NoReplays")
    await pin_digits(container, first["challengeId"], "6914")
    first["digits"] = "6914"
    recording = said("flite-rms", first["digits"])
    ok = await client.post(
        LOGIN,
        data={"challengeId": first["challengeId"]},
        files={"audio": ("a.wav", recording, "audio/wav")},
    )
    assert ok.status_code == 200
    # someone who captured that recording is lucky enough to be asked the same digits
    second = await challenge(client, "NoReplays")
    async with container.db.transaction() as tx:
        await tx.execute(
            update(VoiceChallenge)
            .where(VoiceChallenge.id == second["challengeId"])
            .values(digits=first["digits"])
        )
    replayed = await client.post(
        LOGIN,
        data={"challengeId": second["challengeId"]},
        files={"audio": ("a.wav", recording, "audio/wav")},
    )
    assert replayed.status_code == 401
    assert replayed.json()["error"]["message"] == NOT_RECOGNIZED


async def test_samples_one_request_at_a_time(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "OneByOne")
    await allow_voice(client, artist)
    for received, (_, (_name, data, kind)) in enumerate(samples("flite-slt"), start=1):
        answer = await client.post(
            ENROL, content=data, headers={**artist.headers, "Content-Type": kind}
        )
        if received < 3:
            assert answer.status_code == 202, answer.text
            assert answer.json()["samplesReceived"] == received
        else:
            assert answer.status_code == 201, answer.text
    async with container.db.transaction() as tx:
        pending = await tx.scalar(
            select(func.count()).select_from(VoiceEnrolmentSample)
            .where(VoiceEnrolmentSample.user_id == artist.user.id)
        )  # fmt: skip
    assert pending == 0
    assert (await voice_login(client, container, "OneByOne", "flite-slt")).status_code == 200


async def test_enrolment_refuses_mixed_voices_copies_and_a_switched_off_preference(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "MixedUp")
    off = await client.post(ENROL, files=samples("flite-rms"), headers=artist.headers)
    assert off.status_code == 403
    assert off.json()["error"]["code"] == "voice_auth_disabled"
    await allow_voice(client, artist)
    mixed = samples("flite-rms")
    mixed[1] = ("sample", ("s1.wav", wav("flite-slt", "A completely different person talks here."),
                           "audio/wav"))  # fmt: skip
    answer = await client.post(ENROL, files=mixed, headers=artist.headers)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "voice_samples_disagree"
    assert answer.json()["error"]["details"] == {"sample": 2}
    one = samples("flite-rms")[0]
    copies = await client.post(ENROL, files=[one, one, one], headers=artist.headers)
    assert copies.status_code == 422
    assert "same recording" in copies.json()["error"]["message"]
    assert (await client.get(SIGNATURE, headers=artist.headers)).status_code == 404


@pytest.mark.parametrize(
    ("files", "status", "code"),
    [
        ([("voice", ("x.wav", b"RIFF", "audio/wav"))], 422, "audio_missing"),
        ([("sample", ("x.txt", b"hello there", "text/plain"))], 415, "audio_unsupported"),
        ([("sample", ("x.wav", b"RIFF....WAVEfmt nonsense", "audio/wav"))], 415,
         "audio_unsupported"),
        ([("sample", ("x.wav", b"\x00" * (2 * 1024 * 1024 + 10), "audio/wav"))], 413,
         "audio_too_large"),
    ],
)  # fmt: skip
async def test_bad_uploads_get_clear_errors_and_store_nothing(
    client: httpx.AsyncClient,
    container: Container,
    files: list[tuple[str, tuple[str, bytes, str]]],
    status: int,
    code: str,
) -> None:
    artist = await make_artist(container, "BadUploads")
    await allow_voice(client, artist)
    answer = await client.post(ENROL, files=files, headers=artist.headers)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["code"] == code
    json_body = await client.post(ENROL, json={"audio": "..."}, headers=artist.headers)
    assert json_body.status_code == 415
    async with container.db.transaction() as tx:
        for table in (VoiceSignature, VoiceEnrolmentSample, VoiceAttemptPrint):
            count = await tx.scalar(select(func.count()).select_from(table))
            assert count == 0


async def test_a_short_recording_at_login_is_a_clear_error(
    client: httpx.AsyncClient, container: Container
) -> None:
    await enrolled_artist(client, container, "TooShort", "flite-rms")
    asked = await challenge(client, "TooShort")
    answer = await client.post(
        LOGIN,
        data={"challengeId": asked["challengeId"]},
        files={"audio": ("a.wav", wav("flite-rms", "hi"), "audio/wav")},
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "audio_too_short"
    missing = await client.post(LOGIN, data={"challengeId": "vch_x"})
    assert missing.status_code in (415, 422)
    hidden = await client.post(
        LOGIN,
        data={"challengeId": "vch_\x00x"},
        files={"audio": ("a.wav", wav("flite-rms", "hi"), "audio/wav")},
    )
    assert hidden.status_code == 422  # the character rule, never a 500 from the database
    assert hidden.json()["error"]["details"][0]["type"] == "control_character"


async def test_delete_export_and_erasure_leave_no_voiceprint(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await enrolled_artist(client, container, "ForgetMe", "flite-rms")
    export = await client.get("/api/users/me/export", headers=artist.headers)
    assert export.status_code == 200
    voice = export.json()["voiceSignature"]
    assert voice["enrolled"] is True
    assert "embedding" not in export.text
    assert "mfcc" not in export.text.lower()
    assert (await client.delete(SIGNATURE, headers=artist.headers)).status_code == 204
    assert (await client.get(SIGNATURE, headers=artist.headers)).status_code == 404
    async with container.db.transaction() as tx:
        prints = await tx.scalar(
            select(func.count())
            .select_from(VoiceAttemptPrint)
            .where(VoiceAttemptPrint.user_id == artist.user.id)
        )
    assert prints == 0  # the replay prints of the enrolment samples went too
    assert (await voice_login(client, container, "ForgetMe", "flite-rms")).status_code == 401
    export = await client.get("/api/users/me/export", headers=artist.headers)
    assert export.json()["voiceSignature"] == {"enrolled": False}

    again = await enrolled_artist(client, container, "EraseMe", "flite-awb")
    erased = await client.request(
        "DELETE", "/api/users/me", json={"confirm": "EraseMe"}, headers=again.headers
    )
    assert erased.status_code in (200, 204), erased.text
    async with container.db.transaction() as tx:
        for table in (VoiceSignature, VoiceAttemptPrint, VoiceEnrolmentSample):
            left = await tx.scalar(
                select(func.count()).select_from(table).where(table.user_id == again.user.id)
            )
            assert left == 0


async def test_settings_change_and_the_challenge_route_validates(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await enrolled_artist(client, container, "Tuned", "flite-rms")
    changed = await client.patch(
        SIGNATURE, json={"confidenceThreshold": 0.9, "maxAttempts": 5}, headers=artist.headers
    )
    assert changed.status_code == 200
    assert changed.json()["settings"]["confidenceThreshold"] == 0.9
    bad = await client.patch(SIGNATURE, json={"maxAttempts": 0}, headers=artist.headers)
    assert bad.status_code == 422
    assert (await client.post(CHALLENGE, json={})).status_code == 422


async def test_turning_voice_login_off_stops_voice_logins(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await enrolled_artist(client, container, "SwitchedOff", "flite-rms")
    answer = await client.patch(
        "/api/users/me", json={"preferences": {"allowVoiceAuth": False}}, headers=artist.headers
    )
    assert answer.status_code == 200
    refused = await voice_login(client, container, "SwitchedOff", "flite-rms")
    assert refused.status_code == 401
    assert refused.json()["error"]["message"] == NOT_RECOGNIZED
    await allow_voice(client, artist)
    assert (await voice_login(client, container, "SwitchedOff", "flite-rms")).status_code == 200
