"""Logging in by voice: a spoken four-digit challenge, checked one-to-one against one artist."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from anyio import to_thread
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.auth.events import UserSignedIn
from notalabel.auth.login_guard import remember_client
from notalabel.auth.schemas import TokensOut
from notalabel.auth.security_log import announcement, record_security_event
from notalabel.auth.service import tokens_out
from notalabel.db import Database, utcnow
from notalabel.events import Event, MessageBus
from notalabel.patterns.signature import signature_model
from notalabel.security import TokenService
from notalabel.users.models import User
from notalabel.users.service import ClientInfo, find_by_ref, sign_in
from notalabel.voice.analysis import Analysis, analyse_challenge
from notalabel.voice.audio import SAMPLE_RATE, read_recording
from notalabel.voice.digits import new_challenge, spoken_phrase
from notalabel.voice.events import VoiceLoginLocked
from notalabel.voice.exceptions import (
    VOICE_NOT_RECOGNIZED,
    HummingRequired,
    VoiceChallengeExpired,
    VoiceNotRecognized,
)
from notalabel.voice.humming import (
    MATCH_THRESHOLD,
    Note,
    hummable,
    melody_match,
    signature_melody,
)
from notalabel.voice.models import VoiceChallenge, VoiceSignature
from notalabel.voice.records import (
    recent_prints,
    remember_prints,
    voice_login_allowed,
    voiceprint_of,
)
from notalabel.voice.schemas import VoiceChallengeOut
from notalabel.voice.sealing import SealBroken, VoiceprintSeal
from notalabel.voice.verification import (
    calibrated,
    cosine,
    is_replay,
    running_average,
    voice_lock,
)

logger = logging.getLogger(__name__)

CHALLENGE_TTL = timedelta(minutes=2)
VOICE_USED = "voice_used"  # a device signed in by voice; details: {"confidence"}
VOICE_LOCKED = "voice_locked"  # details: {"seconds"}


@dataclass(frozen=True, slots=True)
class _Heard:
    analysis: Analysis
    digits: str
    hum: float | None


class VoiceLogin:
    """Issues spoken challenges and signs a device in when the voice and digits match."""

    def __init__(
        self, db: Database, tokens: TokenService, bus: MessageBus, seal: VoiceprintSeal
    ) -> None:
        self._db = db
        self._tokens = tokens
        self._bus = bus
        self._seal = seal

    async def challenge(self, artist_name: str) -> VoiceChallengeOut:
        """Four random digits for the artist to say; the same answer for anyone named."""
        now = utcnow()
        digits = new_challenge()
        async with self._db.transaction() as tx:
            # expired challenges are never taken, so clearing them keeps the table small
            await tx.execute(delete(VoiceChallenge).where(VoiceChallenge.expires_at <= now))
            user = await find_by_ref(tx, artist_name)
            row = VoiceChallenge(
                id=f"vch_{uuid.uuid4().hex}",
                user_id=user.id if user is not None else None,
                digits=digits,
                created_at=now,
                expires_at=now + CHALLENGE_TTL,
            )
            tx.add(row)
        return VoiceChallengeOut(
            challenge_id=row.id,
            digits=digits,
            phrase=spoken_phrase(digits),
            expires_in=int(CHALLENGE_TTL.total_seconds()),
        )

    async def sign_in(
        self, challenge_id: str, audio: bytes, hum: bytes | None, client: ClientInfo
    ) -> TokensOut:
        """Tokens for a new device when the claimed artist's voice says the challenge."""
        async with self._db.transaction() as tx:
            pending = await _take(tx, challenge_id)
            melody = await _melody_to_hum(tx, pending[0]) if pending and hum is not None else ()
        # taken before the audio is read, so a challenge is used up by any attempt at all
        if pending is None:
            raise VoiceChallengeExpired(
                "This challenge is unknown, used or more than two minutes old: ask for new digits."
            )
        user_id, digits = pending
        heard = await to_thread.run_sync(_listen, audio, hum, melody)
        events: list[Event] = []
        failed = True
        async with self._db.transaction() as tx:
            user = await tx.get(User, user_id) if user_id else None
            signature = (
                await tx.get(VoiceSignature, user_id, with_for_update=True) if user_id else None
            )
            if user is None or signature is None or not voice_login_allowed(user):
                raise VoiceNotRecognized(VOICE_NOT_RECOGNIZED)
            now = utcnow()
            locked = signature.locked_until is not None and signature.locked_until > now
            earlier = await recent_prints(tx, self._seal, user.id)
            remember_prints(tx, self._seal, user.id, [heard.analysis.fingerprint])
            narrowband = heard.analysis.narrowband
            try:
                reference = voiceprint_of(self._seal, signature, narrowband=narrowband)
            except SealBroken:
                # not the speaker's failure: nothing is counted, and the owner's signature
                # page asks them to enrol again
                logger.error("the voiceprint of %s opens with no configured key", user.id)
                raise VoiceNotRecognized(VOICE_NOT_RECOGNIZED) from None
            score = calibrated(cosine(heard.analysis.embedding, reference), narrowband=narrowband)
            voice_ok = (
                not locked
                and not is_replay(heard.analysis.fingerprint, earlier)
                and heard.digits == digits
                and score >= signature.confidence_threshold
            )
            if voice_ok and signature.require_humming and hum is None:
                # the voice passed: asking for the melody now tells nothing to a stranger
                raise HummingRequired(
                    "Voice recognized. Now ask for new digits and send them again together "
                    "with a recording of you humming your signature melody (the hum field)."
                )
            hum_ok = not signature.require_humming or (
                heard.hum is not None and heard.hum >= MATCH_THRESHOLD
            )
            if voice_ok and hum_ok:
                failed = False
                signature.successful_auths += 1
                signature.failures_in_a_row = 0
                signature.average_confidence = running_average(
                    signature.average_confidence, signature.successful_auths, score
                )
                signature.last_used_at = now
                signed = await sign_in(tx, self._tokens, user, "voice", client)
                device_key = await remember_client(tx, user.id)
                entry = record_security_event(
                    tx,
                    user.id,
                    VOICE_USED,
                    device_id=signed.device_id,
                    ip_address=client.ip_address,
                    user_agent=client.user_agent,
                    details={"confidence": round(score, 3)},
                )
                events = [
                    UserSignedIn(user_id=user.id, device_id=signed.device_id, login_method="voice"),
                    announcement(entry),
                ]
            elif not locked:
                # failures while locked are not counted, so a lock cannot be stretched from outside
                events = self._count_failure(tx, signature, client)
            await self._bus.stage_in(tx, events)
        await self._bus.deliver(events)
        if failed:
            raise VoiceNotRecognized(VOICE_NOT_RECOGNIZED)
        return tokens_out(signed, device_key=device_key)

    def _count_failure(
        self, tx: AsyncSession, signature: VoiceSignature, client: ClientInfo
    ) -> list[Event]:
        signature.failed_attempts += 1
        signature.failures_in_a_row += 1
        lock = voice_lock(signature.failures_in_a_row, signature.max_attempts)
        if lock is None:
            return []
        signature.locked_until = utcnow() + lock
        seconds = int(lock.total_seconds())
        entry = record_security_event(
            tx,
            signature.user_id,
            VOICE_LOCKED,
            ip_address=client.ip_address,
            user_agent=client.user_agent,
            details={"seconds": seconds},
        )
        return [VoiceLoginLocked(user_id=signature.user_id, seconds=seconds), announcement(entry)]


async def _take(tx: AsyncSession, challenge_id: str) -> tuple[str | None, str] | None:
    """Delete and return a live challenge (owner, digits); one DELETE ... RETURNING."""
    rows = (
        await tx.execute(
            delete(VoiceChallenge)
            .where(VoiceChallenge.id == challenge_id, VoiceChallenge.expires_at > utcnow())
            .returning(VoiceChallenge.user_id, VoiceChallenge.digits)
        )
    ).all()
    return (rows[0][0], rows[0][1]) if len(rows) == 1 else None


async def _melody_to_hum(tx: AsyncSession, user_id: str | None) -> tuple[Note, ...]:
    """The signature melody when the artist asks for humming at login, else nothing."""
    signature = await tx.get(VoiceSignature, user_id) if user_id else None
    if signature is None or not signature.require_humming:
        return ()
    model = await signature_model(tx, signature.user_id)
    melody = signature_melody(model) if model is not None else ()
    return melody if hummable(melody) else ()


def _listen(audio: bytes, hum: bytes | None, melody: tuple[Note, ...]) -> _Heard:
    analysis, digits = analyse_challenge(read_recording(audio))
    hummed = None
    if hum is not None and melody:
        hummed = melody_match(read_recording(hum).samples, melody, SAMPLE_RATE)
    return _Heard(analysis, digits, hummed)
