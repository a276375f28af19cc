"""A changed voiceprint key: no 500, no counted failure, retired keys and `voice reseal`."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from notalabel.container import Container
from notalabel.voice.models import VoiceSignature
from notalabel.voice.rekey import reseal_voice_rows
from notalabel.voice.sealing import SealBroken, VoiceprintSeal
from tests.voice.helpers import ENROL, SIGNATURE, enrolled_artist, samples, voice_login
from tests.voice.speakers import require_voices

NEW_KEY = bytes(range(64, 96))


@pytest.fixture(autouse=True)
def _synthesisers() -> None:
    require_voices()


def use_seal(monkeypatch: pytest.MonkeyPatch, container: Container, seal: VoiceprintSeal) -> None:
    """Restart-equivalent: both voice services now seal and open with `seal`."""
    monkeypatch.setattr(container.voice, "_seal", seal)
    monkeypatch.setattr(container.voice_login, "_seal", seal)


async def test_a_lost_key_refuses_voice_login_without_a_500_and_asks_to_enrol_again(
    client: httpx.AsyncClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    artist = await enrolled_artist(client, container, "LostKey", "flite-rms")
    assert (await client.get(SIGNATURE, headers=artist.headers)).json()["needsReEnrolment"] is False
    use_seal(monkeypatch, container, VoiceprintSeal(NEW_KEY))

    refused = await voice_login(client, container, "LostKey", "flite-rms")
    assert refused.status_code == 401, refused.text
    signature = (await client.get(SIGNATURE, headers=artist.headers)).json()
    assert signature["needsReEnrolment"] is True
    assert signature["usage"]["failedAttempts"] == 0  # the service's fault, not the speaker's

    # enrolling again under the new key makes voice login work again
    enrolled = await client.post(ENROL, files=samples("flite-rms"), headers=artist.headers)
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["needsReEnrolment"] is False
    assert (await voice_login(client, container, "LostKey", "flite-rms")).status_code == 200


async def test_a_rotated_key_keeps_voice_login_and_reseal_moves_every_row(
    client: httpx.AsyncClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    await enrolled_artist(client, container, "Rotated", "flite-rms")
    old_key = container.settings.voiceprint_key_bytes
    rotated = VoiceprintSeal(NEW_KEY, retired=[old_key])
    use_seal(monkeypatch, container, rotated)
    assert (await voice_login(client, container, "Rotated", "flite-rms")).status_code == 200

    report = await reseal_voice_rows(container.db, rotated)
    assert report.resealed >= 4  # the voiceprint and the replay prints of its samples
    assert report.unreadable_voiceprints == []
    again = await reseal_voice_rows(container.db, rotated)
    assert again.resealed == 0
    assert again.current == report.resealed + report.current

    use_seal(monkeypatch, container, VoiceprintSeal(NEW_KEY))  # the old key is now gone
    assert (await voice_login(client, container, "Rotated", "flite-rms")).status_code == 200
    async with container.db.transaction() as tx:
        row = (await tx.execute(select(VoiceSignature.user_id, VoiceSignature.voiceprint))).one()
    with pytest.raises(SealBroken):
        VoiceprintSeal(old_key).open(row.user_id, row.voiceprint)
