"""A signature is an identity: no two accounts may hold one that plays the same events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from notalabel.engine.pattern import PatternModel, fingerprint, regenerate
from notalabel.identity.exceptions import NoFreeSignature
from notalabel.identity.models import SignatureFingerprint
from notalabel.identity.records import pattern_fields

# a clash is rare (the engine offers 10,000+ arrangements per setting); a handful of new
# seeds always finds a free one, and the bound keeps a broken table from looping forever
MAX_RESEEDS = 24
_FINGERPRINTS = SignatureFingerprint.__table__


@dataclass(frozen=True, slots=True)
class ClaimedSignature:
    """The pattern record the account will keep, its fingerprint, and how many re-seeds it took."""

    record: dict[str, Any]
    fingerprint: str
    reseeds: int


def is_taken(conn: Connection, digest: str) -> bool:
    """True when some account holds this fingerprint."""
    query = select(_FINGERPRINTS.c.fingerprint).where(_FINGERPRINTS.c.fingerprint == digest)
    return conn.execute(query).first() is not None


def next_seed(seed: int) -> int:
    """The seed a clash moves to: far from the last one, and always the same one."""
    return (seed + 0x2545F491) % 2**31


def _reseeded(record: dict[str, Any], model: PatternModel) -> tuple[dict[str, Any], PatternModel]:
    pattern = regenerate(model, next_seed(model.settings.seed))
    return {**record, **pattern_fields(pattern)}, pattern.model


def free_signature(conn: Connection, record: dict[str, Any]) -> ClaimedSignature:
    """The record itself when its fingerprint is free, else the first free re-seeding of it.

    A re-seeded pattern keeps the genre, mood, energy, complexity, keywords and every
    refinement the artist asked for; only the seeded choices (key, voicings, grooves) move.
    """
    model = PatternModel.from_json(record["model"])
    for reseeds in range(MAX_RESEEDS + 1):
        digest = fingerprint(model)
        if not is_taken(conn, digest):
            return ClaimedSignature(record, digest, reseeds)
        record, model = _reseeded(record, model)
    raise NoFreeSignature(
        "Every arrangement tried for your signature is already another artist's. "
        "Finalize again, or refine the pattern once more to make it yours."
    )


def claim(conn: Connection, digest: str, user_id: str) -> None:
    """Record the fingerprint as this account's (IntegrityError if another took it first)."""
    conn.execute(insert(SignatureFingerprint), [{"fingerprint": digest, "user_id": user_id}])
