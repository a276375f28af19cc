"""Turning a confirmed onboarding into an account, in the step's own transaction (Core)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from notalabel.auth.login_guard import new_known_client
from notalabel.auth.recovery import IssuedCodes, replace_recovery_codes
from notalabel.auth.security_log import announcement
from notalabel.db import utcnow
from notalabel.events import Event
from notalabel.identity.events import IdentityCreated
from notalabel.identity.exceptions import NoFreeSignature
from notalabel.identity.naming import name_key
from notalabel.identity.records import account_outcome
from notalabel.identity.schemas import FinalizeResponse
from notalabel.identity.store import SessionState
from notalabel.identity.uniqueness import ClaimedSignature, claim, free_signature, is_taken
from notalabel.patterns.service import draft_signature_pattern, insert_signature_pattern
from notalabel.security import TokenService
from notalabel.users.models import Device, User
from notalabel.users.profiles import new_account_me
from notalabel.users.service import (
    ClientInfo,
    SignedIn,
    artist_values,
    insert_artist,
    start_sign_in,
)

_CLAIM_ATTEMPTS = 3
RESEEDED = (
    "Another artist already holds that exact arrangement, so yours was re-voiced: the same "
    "style, mood and changes you asked for, in an arrangement only you have."
)


@dataclass(frozen=True, slots=True)
class NewAccount:
    """The answer for the artist and the events to publish once it is committed."""

    outcome: FinalizeResponse
    events: list[Event]


@dataclass(frozen=True, slots=True)
class _Inserted:
    values: dict[str, Any]
    signed: SignedIn
    device: Device
    codes: IssuedCodes
    device_key: str
    signature: dict[str, Any]


def create_account(
    conn: Connection, tokens: TokenService, state: SessionState, client: ClientInfo
) -> NewAccount | None:
    """Create user, signature pattern, sign-in and recovery codes; None if the name was lost.

    The account is written under a savepoint so that losing the name to a concurrent
    onboarding or rename rolls back the account alone, not the session's transcript.
    """
    name = state.tentative_artist_name or ""
    dna = dict(state.music_dna or {})
    for _ in range(_CLAIM_ATTEMPTS):
        claimed = free_signature(conn, state.generated_patterns[-1])
        try:
            made = _insert_account(conn, tokens, client, claimed=claimed, name=name, dna=dna)
        except IntegrityError:
            if is_taken(conn, claimed.fingerprint):
                continue  # a concurrent onboarding claimed the same arrangement first
            return None  # the name was lost
        break
    else:
        raise NoFreeSignature(
            "Other artists kept claiming the same arrangement as yours at this moment. "
            "Finalize again."
        )
    values, signed, signature = made.values, made.signed, made.signature
    user_id = values["id"]
    now = utcnow()
    state.set(
        current_step="completed",
        completed=True,
        completed_at=now,
        user_id=user_id,
        client_info={
            **state.client_info,
            "sessionDuration": int((now - state.created_at).total_seconds()),
        },
    )
    outcome = account_outcome(new_account_me(User(**values), made.device), signed, signature)
    outcome.recovery_codes = made.codes.codes
    outcome.device_key = made.device_key
    if claimed.reseeds:
        outcome.message += f" {RESEEDED}"
    created = IdentityCreated(
        session_id=state.id,
        user_id=user_id,
        artist_name=name,
        signature_pattern_id=signature["id"],
        genre=signature["genre"],
        mood=signature["mood"],
    )
    return NewAccount(outcome, [created, announcement(made.codes.entry)])


def _insert_account(
    conn: Connection,
    tokens: TokenService,
    client: ClientInfo,
    *,
    claimed: ClaimedSignature,
    name: str,
    dna: dict[str, Any],
) -> _Inserted:
    """Insert user, signature pattern and fingerprint, sign-in and recovery codes (savepoint)."""
    last = claimed.record
    values = artist_values(
        artist_name=name,
        name_key=name_key(name),
        music_dna=_settled_dna(dna, last),
        signature_pattern={},
        bio=f"Creating {last['genre']} beats with {last['mood']} vibes",
        collaboration_openness=8 if dna.get("creationStyle") == "collaborative" else 5,
    )
    user_id = values["id"]
    pattern_row, signature = draft_signature_pattern(user_id, name, last)
    values["signature_pattern"] = signature
    # under a savepoint, so losing the name or the arrangement to a concurrent onboarding
    # rolls back the account alone, not the session's transcript
    with conn.begin_nested():
        insert_artist(conn, values)
        insert_signature_pattern(conn, pattern_row)
        claim(conn, claimed.fingerprint, user_id)
        signed, device = start_sign_in(
            conn,
            tokens,
            user_id=user_id,
            artist_name=name,
            method="musical_identity",
            client=client,
        )
        # shown once, in this answer: the way back in without a password or device
        codes = replace_recovery_codes(conn, user_id, device_id=signed.device_id, client=client)
        # the device that made the identity is known to the password lockout later
        device_key = new_known_client(conn, user_id)
    return _Inserted(values, signed, device, codes, device_key, signature)


def _settled_dna(dna: dict[str, Any], signature: dict[str, Any]) -> dict[str, Any]:
    """The DNA as the chosen signature pattern confirms it."""
    settled = dict(dna)
    previous = dna.get("primaryGenre")
    settled["primaryGenre"] = signature["genre"]
    settled["preferredMood"] = signature["mood"]
    if previous and previous != signature["genre"]:
        settled["subGenres"] = list(dict.fromkeys([previous, *dna.get("subGenres", [])]))
    settled["lastUpdated"] = utcnow().isoformat()
    return settled
