"""Enrolling a voice signature, reading and changing it, and removing it."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

import numpy as np
from anyio import to_thread
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.auth.security_log import announcement, record_security_event
from notalabel.db import Database, utcnow
from notalabel.events import MessageBus
from notalabel.patterns.signature import signature_model
from notalabel.users.service import ClientInfo, Principal
from notalabel.voice.analysis import Analysis, analyse
from notalabel.voice.audio import read_recording
from notalabel.voice.events import VoiceSignatureEnrolled, VoiceSignatureRemoved
from notalabel.voice.exceptions import (
    AudioMissing,
    AudioProblem,
    HummingUnavailable,
    NoVoiceSignature,
    SamplesDisagree,
    VoiceAuthDisabled,
)
from notalabel.voice.features import VoiceFeatures, features_from_json
from notalabel.voice.humming import hummable, signature_melody
from notalabel.voice.models import (
    VoiceAttemptPrint,
    VoiceChallenge,
    VoiceEnrolmentSample,
    VoiceSignature,
)
from notalabel.voice.records import (
    is_readable,
    remember_prints,
    signature_out,
    voice_login_allowed,
)
from notalabel.voice.schemas import (
    EnrolmentProgressOut,
    VoiceSettingsChange,
    VoiceSignatureOut,
)
from notalabel.voice.sealing import SealBroken, VoiceprintSeal, vector
from notalabel.voice.verification import (
    DEFAULT_THRESHOLD,
    SAMPLES_NEEDED,
    centroid,
    is_replay,
    judge_enrolment,
)

logger = logging.getLogger(__name__)

VOICE_ENROLLED = "voice_enrolled"  # details: {"quality"}
VOICE_REMOVED = "voice_removed"
# samples sent one at a time wait this long for the rest
PENDING_SAMPLES_TTL = timedelta(minutes=30)


class VoiceSignatures:
    """Owns every transaction of enrolling, reading, changing and removing a voice signature."""

    def __init__(self, db: Database, bus: MessageBus, seal: VoiceprintSeal) -> None:
        self._db = db
        self._bus = bus
        self._seal = seal

    async def enrol(
        self, principal: Principal, recordings: list[bytes], client: ClientInfo
    ) -> VoiceSignatureOut | EnrolmentProgressOut:
        """Add samples; with three (in one request or over several) make the signature."""
        user = principal.user
        if not voice_login_allowed(user):
            raise VoiceAuthDisabled(
                "Turn on voice login first: set allowVoiceAuth in your preferences."
            )
        if not 1 <= len(recordings) <= SAMPLES_NEEDED:
            raise AudioMissing(f"Send one to {SAMPLES_NEEDED} recordings of your voice.")
        # samples sent one at a time are numbered after those already waiting
        first = 1
        if len(recordings) < SAMPLES_NEEDED:
            async with self._db.transaction() as tx:
                first += await self._pending_count(tx, user.id) % SAMPLES_NEEDED
        fresh = [
            await to_thread.run_sync(_analyse_sample, number, data)
            for number, data in enumerate(recordings, start=first)
        ]
        _refuse_copies(fresh)
        now = utcnow()
        async with self._db.transaction() as tx:
            pending = [] if len(fresh) == SAMPLES_NEEDED else await self._pending(tx, user.id)
            samples = [*pending, *fresh][-SAMPLES_NEEDED:]
            _refuse_copies(samples)
            if len(samples) < SAMPLES_NEEDED:
                for sample in fresh:
                    tx.add(self._pending_row(user.id, sample))
                return EnrolmentProgressOut(
                    samples_received=len(samples),
                    samples_needed=SAMPLES_NEEDED,
                    message=f"Got it. Record {SAMPLES_NEEDED - len(samples)} more.",
                )
            await tx.execute(
                delete(VoiceEnrolmentSample).where(VoiceEnrolmentSample.user_id == user.id)
            )
        verdict = judge_enrolment([s.embedding for s in samples])
        if verdict.outlier is not None:
            raise SamplesDisagree(
                f"Sample {verdict.outlier + 1} of {SAMPLES_NEEDED} does not sound like the "
                "others: record all three again, in the same quiet place, in your usual voice.",
                details={"sample": verdict.outlier + 1},
            )
        voiceprint = _voiceprint(samples)
        async with self._db.transaction() as tx:
            signature = await tx.get(VoiceSignature, user.id, with_for_update=True)
            sealed = self._seal.seal(user.id, voiceprint)
            if signature is None:
                signature = VoiceSignature(
                    user_id=user.id,
                    confidence_threshold=DEFAULT_THRESHOLD,
                    max_attempts=3,
                    require_humming=False,
                    created_at=now,
                )
                tx.add(signature)
            # a new voice starts a new record: usage and any lock belonged to the old one
            signature.voiceprint = sealed
            signature.quality = verdict.quality
            signature.sample_count = SAMPLES_NEEDED
            signature.successful_auths = signature.failed_attempts = 0
            signature.failures_in_a_row = 0
            signature.average_confidence = signature.locked_until = None
            signature.last_used_at = None
            signature.created_at = now
            signature.updated_at = now
            remember_prints(tx, self._seal, user.id, [s.fingerprint for s in samples])
            entry = record_security_event(
                tx,
                user.id,
                VOICE_ENROLLED,
                device_id=principal.device.id,
                ip_address=client.ip_address,
                user_agent=client.user_agent,
                details={"quality": verdict.quality},
            )
            enrolled = [VoiceSignatureEnrolled(user_id=user.id), announcement(entry)]
            await self._bus.stage_in(tx, enrolled)
            answer = signature_out(signature)
        await self._bus.deliver(enrolled)
        return answer

    async def signature(self, principal: Principal) -> VoiceSignatureOut:
        """The caller's voice signature: settings and usage, never the voiceprint."""
        async with self._db.transaction() as tx:
            signature = await tx.get(VoiceSignature, principal.user.id)
            if signature is None:
                raise NoVoiceSignature("You have no voice signature yet.")
            return signature_out(signature, readable=is_readable(self._seal, signature))

    async def change(self, principal: Principal, change: VoiceSettingsChange) -> VoiceSignatureOut:
        """Change the threshold, the attempts allowed, or whether a login also hums."""
        async with self._db.transaction() as tx:
            signature = await tx.get(VoiceSignature, principal.user.id, with_for_update=True)
            if signature is None:
                raise NoVoiceSignature("You have no voice signature yet.")
            if change.confidence_threshold is not None:
                signature.confidence_threshold = change.confidence_threshold
            if change.max_attempts is not None:
                signature.max_attempts = change.max_attempts
            if change.require_humming:
                model = await signature_model(tx, principal.user.id)
                if model is None or not hummable(signature_melody(model)):
                    raise HummingUnavailable(
                        "Your signature pattern has no melody clear enough to hum (at least "
                        "five notes over three pitches): refine it with 'add a melody' first."
                    )
            if change.require_humming is not None:
                signature.require_humming = change.require_humming
            signature.updated_at = utcnow()
            return signature_out(signature, readable=is_readable(self._seal, signature))

    async def remove(self, principal: Principal, client: ClientInfo) -> None:
        """Delete the voiceprint and everything kept about the artist's recordings."""
        user_id = principal.user.id
        async with self._db.transaction() as tx:
            removed = await erase_voice(tx, user_id)
            if not removed:
                raise NoVoiceSignature("You have no voice signature.")
            entry = record_security_event(
                tx,
                user_id,
                VOICE_REMOVED,
                device_id=principal.device.id,
                ip_address=client.ip_address,
                user_agent=client.user_agent,
            )
            events = [VoiceSignatureRemoved(user_id=user_id), announcement(entry)]
            await self._bus.stage_in(tx, events)
        await self._bus.deliver(events)

    async def _pending_count(self, tx: AsyncSession, user_id: str) -> int:
        """How many live samples wait, without opening them."""
        waiting = await tx.scalar(
            select(func.count())
            .select_from(VoiceEnrolmentSample)
            .where(
                VoiceEnrolmentSample.user_id == user_id,
                VoiceEnrolmentSample.created_at >= utcnow() - PENDING_SAMPLES_TTL,
            )
        )
        return int(waiting or 0)

    async def _pending(self, tx: AsyncSession, user_id: str) -> list[Analysis]:
        cutoff = utcnow() - PENDING_SAMPLES_TTL
        await tx.execute(
            delete(VoiceEnrolmentSample).where(
                VoiceEnrolmentSample.user_id == user_id, VoiceEnrolmentSample.created_at < cutoff
            )
        )
        rows = (
            await tx.scalars(
                select(VoiceEnrolmentSample)
                .where(VoiceEnrolmentSample.user_id == user_id)
                .order_by(VoiceEnrolmentSample.created_at)
            )
        ).all()
        samples, unreadable = [], []
        for row in rows:
            try:
                samples.append(_sample_from(self._seal.open(user_id, row.sealed)))
            except SealBroken:
                unreadable.append(row.id)
        if unreadable:
            # sealed under a key the service no longer has: the artist records those again
            logger.warning("dropping %d unreadable enrolment samples", len(unreadable))
            await tx.execute(
                delete(VoiceEnrolmentSample).where(VoiceEnrolmentSample.id.in_(unreadable))
            )
        return samples

    def _pending_row(self, user_id: str, sample: Analysis) -> VoiceEnrolmentSample:
        return VoiceEnrolmentSample(
            id=f"ves_{uuid.uuid4().hex}",
            user_id=user_id,
            sealed=self._seal.seal(user_id, _sample_document(sample)),
            created_at=utcnow(),
        )


async def erase_voice(tx: AsyncSession, user_id: str) -> bool:
    """Delete the artist's voiceprint, pending samples and replay prints; whether one existed."""
    existed = await tx.scalar(
        delete(VoiceSignature)
        .where(VoiceSignature.user_id == user_id)
        .returning(VoiceSignature.user_id)
    )
    for table in (VoiceEnrolmentSample, VoiceAttemptPrint, VoiceChallenge):
        await tx.execute(delete(table).where(table.user_id == user_id))
    return existed is not None


async def erase_voice_data(tx: AsyncSession, user_id: str) -> None:
    """Erasure step: the voiceprint and every sealed print of the artist's recordings."""
    await erase_voice(tx, user_id)


async def voice_for_export(tx: AsyncSession, user_id: str) -> dict[str, Any]:
    """Whether the artist has a voiceprint, its settings and usage: never its vectors."""
    signature = await tx.get(VoiceSignature, user_id)
    if signature is None:
        return {"enrolled": False}
    out = signature_out(signature).model_dump(mode="json", by_alias=True)
    return {"enrolled": True, "voiceprint": "kept encrypted; never exported", **out}


def _analyse_sample(number: int, data: bytes) -> Analysis:
    try:
        return analyse(read_recording(data), enrolment=True)
    except AudioProblem as exc:
        raise type(exc)(f"Sample {number}: {exc.message}", details={"sample": number}) from exc


def _refuse_copies(samples: list[Analysis]) -> None:
    for index, sample in enumerate(samples[1:], start=1):
        if is_replay(sample.fingerprint, [s.fingerprint for s in samples[:index]]):
            raise SamplesDisagree(
                "Two samples are the same recording: record three separate takes.",
                details={"sample": index + 1},
            )


def _sample_document(sample: Analysis) -> dict[str, object]:
    document: dict[str, object] = {
        "embedding": sample.embedding,
        "fingerprint": sample.fingerprint,
        "features": sample.features.as_json(),
    }
    if sample.phone_embedding is not None:
        document["phoneEmbedding"] = sample.phone_embedding
    return document


def _sample_from(document: dict[str, object]) -> Analysis:
    return Analysis(
        embedding=vector(document, "embedding"),
        features=features_from_json(document["features"]),
        fingerprint=vector(document, "fingerprint"),
        phone_embedding=vector(document, "phoneEmbedding")
        if "phoneEmbedding" in document
        else None,
    )


def _voiceprint(samples: list[Analysis]) -> dict[str, object]:
    features = [s.features for s in samples]
    pitches = [f.fundamental_hz for f in features if f.fundamental_hz is not None]
    mean = VoiceFeatures(
        mfcc=tuple(float(c) for c in np.mean([f.mfcc for f in features], axis=0)),
        fundamental_hz=float(np.mean(pitches)) if pitches else None,
        spectral_centroid_hz=float(np.mean([f.spectral_centroid_hz for f in features])),
        spectral_rolloff_hz=float(np.mean([f.spectral_rolloff_hz for f in features])),
    )
    phone = [s.phone_embedding for s in samples if s.phone_embedding is not None]
    return {
        "embedding": centroid([s.embedding for s in samples]),
        # compared with recordings that came through a phone line
        "phoneEmbedding": centroid(phone) if len(phone) == len(samples) else None,
        "features": mean.as_json(),
        "phrasePatterns": [{"features": f.as_json()} for f in features],
    }
