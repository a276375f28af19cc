"""Moving every sealed voice row to the current key after NAL_VOICEPRINT_KEY changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import delete, select

from notalabel.db import Database
from notalabel.voice.models import VoiceAttemptPrint, VoiceEnrolmentSample, VoiceSignature
from notalabel.voice.sealing import SealBroken, VoiceprintSeal

# rows read and rewritten per transaction, so a large table never holds one long lock
BATCH = 200

ShortLived = TypeVar("ShortLived", VoiceEnrolmentSample, VoiceAttemptPrint)


@dataclass
class ResealReport:
    """What `reseal_voice_rows` did: rows moved, rows already current, rows no key opens."""

    resealed: int = 0
    current: int = 0
    # artists whose voiceprint no key opens: they must enrol again (their page says so)
    unreadable_voiceprints: list[str] = field(default_factory=list)
    # pending samples and replay prints no key opens: short-lived, so they are deleted
    dropped: int = 0


async def reseal_voice_rows(db: Database, seal: VoiceprintSeal) -> ResealReport:
    """Seal every voiceprint, pending sample and replay print under the current key."""
    report = ResealReport()
    after = ""
    while True:
        async with db.transaction() as tx:
            signatures = (
                await tx.scalars(
                    select(VoiceSignature)
                    .where(VoiceSignature.user_id > after)
                    .order_by(VoiceSignature.user_id)
                    .limit(BATCH)
                    .with_for_update()
                )
            ).all()
            for signature in signatures:
                try:
                    fresh = seal.reseal(signature.user_id, signature.voiceprint)
                except SealBroken:
                    report.unreadable_voiceprints.append(signature.user_id)
                    continue
                _count(report, fresh)
                if fresh is not None:
                    signature.voiceprint = fresh
        if len(signatures) < BATCH:
            break
        after = signatures[-1].user_id
    await _reseal_short_lived(db, seal, VoiceEnrolmentSample, report)
    await _reseal_short_lived(db, seal, VoiceAttemptPrint, report)
    return report


async def _reseal_short_lived(
    db: Database,
    seal: VoiceprintSeal,
    model: type[ShortLived],
    report: ResealReport,
) -> None:
    after = ""
    while True:
        async with db.transaction() as tx:
            rows = (
                await tx.scalars(
                    select(model).where(model.id > after).order_by(model.id).limit(BATCH)
                )
            ).all()
            broken = []
            for row in rows:
                try:
                    fresh = seal.reseal(row.user_id, row.sealed)
                except SealBroken:
                    broken.append(row.id)
                    continue
                _count(report, fresh)
                if fresh is not None:
                    row.sealed = fresh
            if broken:
                await tx.execute(delete(model).where(model.id.in_(broken)))
                report.dropped += len(broken)
        if len(rows) < BATCH:
            return
        after = rows[-1].id


def _count(report: ResealReport, fresh: bytes | None) -> None:
    if fresh is None:
        report.current += 1
    else:
        report.resealed += 1
