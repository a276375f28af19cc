"""Reading and writing voice rows: the API view of a signature and the replay memory."""

from __future__ import annotations

import logging
import uuid

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.db import utcnow
from notalabel.users.models import User
from notalabel.voice.models import VoiceAttemptPrint, VoiceSignature
from notalabel.voice.schemas import VoiceSettings, VoiceSignatureOut, VoiceUsage
from notalabel.voice.sealing import SealBroken, VoiceprintSeal, vector

logger = logging.getLogger(__name__)

# how many recent recordings of an artist are remembered to refuse replays of them
REMEMBERED_PRINTS = 50


def voice_login_allowed(user: User) -> bool:
    """Whether the artist turned on voice login (the seed's preferences.allowVoiceAuth)."""
    return bool((user.preferences or {}).get("allowVoiceAuth", False))


def signature_out(signature: VoiceSignature, *, readable: bool = True) -> VoiceSignatureOut:
    """The API view of a signature: settings and usage, never the voiceprint."""
    return VoiceSignatureOut(
        quality=signature.quality,
        sample_count=signature.sample_count,
        updated_at=signature.updated_at,
        needs_re_enrolment=not readable,
        settings=VoiceSettings(
            confidence_threshold=signature.confidence_threshold,
            max_attempts=signature.max_attempts,
            require_humming=signature.require_humming,
        ),
        usage=VoiceUsage(
            created_at=signature.created_at,
            last_used=signature.last_used_at,
            successful_auths=signature.successful_auths,
            failed_attempts=signature.failed_attempts,
            average_confidence=(
                round(signature.average_confidence, 3)
                if signature.average_confidence is not None
                else None
            ),
            locked_until=signature.locked_until,
        ),
    )


def remember_prints(
    tx: AsyncSession, seal: VoiceprintSeal, user_id: str, prints: list[np.ndarray]
) -> None:
    """Keep the replay fingerprints of recordings just heard (sealed like the voiceprint)."""
    now = utcnow()
    for fingerprint in prints:
        tx.add(
            VoiceAttemptPrint(
                id=f"vap_{uuid.uuid4().hex}",
                user_id=user_id,
                sealed=seal.seal(user_id, {"fingerprint": fingerprint}),
                created_at=now,
            )
        )


async def recent_prints(tx: AsyncSession, seal: VoiceprintSeal, user_id: str) -> list[np.ndarray]:
    """The artist's remembered fingerprints, newest first; older ones are forgotten here."""
    rows = (
        await tx.execute(
            select(VoiceAttemptPrint.id, VoiceAttemptPrint.sealed)
            .where(VoiceAttemptPrint.user_id == user_id)
            .order_by(VoiceAttemptPrint.created_at.desc(), VoiceAttemptPrint.id)
        )
    ).all()
    stale = [row.id for row in rows[REMEMBERED_PRINTS:]]
    prints = []
    for row in rows[:REMEMBERED_PRINTS]:
        try:
            prints.append(vector(seal.open(user_id, row.sealed), "fingerprint"))
        except SealBroken:
            stale.append(row.id)
            logger.warning("forgetting a replay print of %s sealed under an unknown key", user_id)
    if stale:
        await tx.execute(delete(VoiceAttemptPrint).where(VoiceAttemptPrint.id.in_(stale)))
    return prints


def is_readable(seal: VoiceprintSeal, signature: VoiceSignature) -> bool:
    """Whether the signature's voiceprint opens with the service's keys."""
    try:
        seal.open(signature.user_id, signature.voiceprint)
    except SealBroken:
        return False
    return True


def voiceprint_of(
    seal: VoiceprintSeal, signature: VoiceSignature, *, narrowband: bool = False
) -> np.ndarray:
    """The signature's speaker embedding, opened: its phone-line one for narrowband audio."""
    document = seal.open(signature.user_id, signature.voiceprint)
    if narrowband and document.get("phoneEmbedding") is not None:
        return vector(document, "phoneEmbedding")
    return vector(document, "embedding")
