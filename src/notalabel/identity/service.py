"""The onboarding conversation as transactions: start, answer, finalize, resume, abandon.

Every step is one `Database.run`: a plain function that loads the session row, decides, and
writes back what changed (identity/steps.py, identity/account.py). Events go out after the
commit.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.engine import Connection

from notalabel.db import Database, utcnow
from notalabel.events import Event, MessageBus
from notalabel.identity import conversation, steps
from notalabel.identity.account import NewAccount, create_account
from notalabel.identity.conversation import PROMPTS, WELCOME, Step
from notalabel.identity.events import IdentitySessionAbandoned, IdentitySessionStarted
from notalabel.identity.exceptions import (
    ArtistNameTaken,
    SessionBusy,
    SessionCompleted,
    SessionExpired,
    SessionNotFound,
    StepOutOfOrder,
)
from notalabel.identity.models import IdentitySession
from notalabel.identity.records import session_out
from notalabel.identity.schemas import (
    FinalizeResponse,
    ProcessResponse,
    SessionOut,
    SimilarArtistOut,
    StartResponse,
)
from notalabel.identity.store import (
    SessionState,
    delete_session,
    insert_session,
    load_session,
    save_session,
)
from notalabel.security import TokenService
from notalabel.users.service import ClientInfo

logger = logging.getLogger(__name__)

SimilarArtists = Callable[[dict[str, Any], int], Awaitable[list[SimilarArtistOut]]]
"""Finds the artists closest to a DNA document (community matching, wired by the container)."""
SIMILAR_AT_DISCOVERY = 3

_COMPLETED = "This session already created an account. Sign in instead."
_EXPIRED = "This session has expired. Start a new one."
_BUSY = "This session was changed by another request; try again."


class IdentityService:
    """Runs each onboarding step in one transaction and publishes what happened."""

    def __init__(
        self,
        db: Database,
        tokens: TokenService,
        bus: MessageBus,
        session_ttl: timedelta,
        similar_artists: SimilarArtists | None = None,
    ) -> None:
        self._db = db
        self._tokens = tokens
        self._bus = bus
        self._ttl = session_ttl
        self._similar_artists = similar_artists

    async def start(self, client: ClientInfo) -> StartResponse:
        """Open a new session at the discovery step."""
        now = utcnow()
        state = SessionState(
            id=secrets.token_urlsafe(24),
            current_step=Step.DISCOVERY.value,
            seed=secrets.randbelow(2**31),
            user_responses=[],
            generated_patterns=[],
            music_dna=None,
            tentative_artist_name=None,
            tentative_name_key=None,
            name_alternatives=[],
            client_info=client.to_json(),
            user_id=None,
            completed=False,
            completed_at=None,
            created_at=now,
            updated_at=now,
            expires_at=now + self._ttl,
            version=1,
        )
        started = [IdentitySessionStarted(session_id=state.id)]

        def begin(conn: Connection) -> None:
            insert_session(conn, state)
            self._bus.stage(conn, started)

        await self._db.run(begin)
        await self._bus.deliver(started)
        return StartResponse(
            session_id=state.id,
            step=Step.DISCOVERY.value,
            message=WELCOME,
            prompt=PROMPTS[Step.DISCOVERY],
            expires_at=state.expires_at,
        )

    async def process(self, session_id: str, text: str, client: ClientInfo) -> ProcessResponse:
        """Answer one input at whatever step the session is in."""
        events: list[Event] = []

        def work(conn: Connection) -> ProcessResponse:
            state = self._load_live(conn, session_id)
            step = Step(state.current_step)
            if step is Step.DISCOVERY:
                response = steps.discover(state, text)
            elif step is Step.REFINEMENT:
                response = steps.refine(state, text)
            elif step is Step.NAMING:
                response = steps.name(conn, state, text)
            else:
                response = self._confirm(conn, state, text, client, events)
            self._save(conn, state)
            self._bus.stage(conn, events)
            return response

        response = await self._db.run(work)
        await self._bus.deliver(events)
        if response.step == Step.DISCOVERY.value and response.music_dna is not None:
            dna = response.music_dna.model_dump(by_alias=True)
            response.similar_artists = await self._similar(dna)
        return response

    async def _similar(self, dna: dict[str, Any]) -> list[SimilarArtistOut] | None:
        """Who sounds like this DNA; the onboarding goes on without it if matching fails."""
        if self._similar_artists is None:
            return None
        try:
            return await self._similar_artists(dna, SIMILAR_AT_DISCOVERY)
        except Exception:
            logger.exception("similar artists failed at the discovery step")
            return None

    async def finalize(self, session_id: str, client: ClientInfo) -> FinalizeResponse:
        """Create the account from a session waiting for confirmation."""
        events: list[Event] = []

        def work(conn: Connection) -> FinalizeResponse | ProcessResponse:
            state = self._load_live(conn, session_id)
            if state.current_step != Step.CONFIRMATION.value:
                raise StepOutOfOrder(
                    f"This session is at the {state.current_step} step; "
                    "pick and confirm an artist name before finalizing.",
                    details={"step": state.current_step},
                )
            steps.record(state, Step.CONFIRMATION, "finalize", {"finalize": True})
            created = self._create_account(conn, state, client)
            self._save(conn, state)
            if isinstance(created, ProcessResponse):
                return created
            events.extend(created.events)
            self._bus.stage(conn, events)
            return created.outcome

        outcome = await self._db.run(work)
        if isinstance(outcome, ProcessResponse):
            # the session went back to naming (committed); the request itself failed
            raise ArtistNameTaken(
                outcome.message,
                details={"step": Step.NAMING.value, "suggestions": outcome.suggestions},
            )
        await self._bus.deliver(events)
        return outcome

    async def get(self, session_id: str) -> SessionOut:
        """Everything needed to resume a session; a completed one belongs to its account."""
        state = await self._db.read(lambda conn: load_session(conn, session_id, lock=False))
        if state is None:
            raise SessionNotFound("No onboarding session with that id. Start a new one.")
        if state.completed:
            # the id alone must not read the transcript of an account (the export has it)
            raise SessionCompleted(_COMPLETED)
        if state.expires_at <= utcnow():
            raise SessionExpired(_EXPIRED)
        return session_out(state)

    async def abandon(self, session_id: str) -> None:
        """Delete an unfinished session and free the name it held."""

        def work(conn: Connection) -> None:
            state = self._load(conn, session_id)
            if state.completed:
                raise SessionCompleted("This session already created an account.")
            delete_session(conn, session_id)
            self._bus.stage(conn, abandoned)

        abandoned = [IdentitySessionAbandoned(session_id=session_id)]
        await self._db.run(work)
        await self._bus.deliver(abandoned)

    async def prune_expired(self) -> int:
        """Delete unfinished sessions past their lifetime (their transcripts are personal data)."""

        def work(conn: Connection) -> int:
            result = conn.execute(
                delete(IdentitySession).where(
                    IdentitySession.completed.is_(False), IdentitySession.expires_at <= utcnow()
                )
            )
            return int(result.rowcount or 0)

        return await self._db.run(work)

    def _confirm(
        self,
        conn: Connection,
        state: SessionState,
        text: str,
        client: ClientInfo,
        events: list[Event],
    ) -> ProcessResponse:
        answer = conversation.read_confirmation(text)
        steps.record(state, Step.CONFIRMATION, text, {"confirmed": answer})
        if answer is None:
            message = f'Shall I create "{state.tentative_artist_name}"? Answer yes or no.'
            return steps.reply(Step.CONFIRMATION, Step.CONFIRMATION, message, success=False)
        if not answer:
            state.set(
                current_step=Step.NAMING.value, tentative_artist_name=None, tentative_name_key=None
            )
            message = "No problem, let's find another name."
            return steps.reply(Step.CONFIRMATION, Step.NAMING, message, success=True)
        created = self._create_account(conn, state, client)
        if isinstance(created, ProcessResponse):
            return created
        events.extend(created.events)
        outcome = created.outcome
        return ProcessResponse(
            success=True,
            step=Step.CONFIRMATION.value,
            next_step=Step.COMPLETED.value,
            message=outcome.message,
            prompt=PROMPTS[Step.COMPLETED],
            artist_name=outcome.user.artist_name,
            user=outcome.user,
            token=outcome.token,
            refresh_token=outcome.refresh_token,
            signature_pattern=outcome.signature_pattern,
            recovery_codes=outcome.recovery_codes,
            device_key=outcome.device_key,
        )

    def _create_account(
        self, conn: Connection, state: SessionState, client: ClientInfo
    ) -> NewAccount | ProcessResponse:
        """The new account, or, when its name was just taken, the answer back to naming."""
        created = create_account(conn, self._tokens, state, client)
        return steps.lose_name(conn, state) if created is None else created

    def _load(self, conn: Connection, session_id: str) -> SessionState:
        # writers lock the row on PostgreSQL; on SQLite a run already holds the write lock
        state = load_session(conn, session_id, lock=not self._db.is_sqlite)
        if state is None:
            raise SessionNotFound("No onboarding session with that id. Start a new one.")
        return state

    def _load_live(self, conn: Connection, session_id: str) -> SessionState:
        state = self._load(conn, session_id)
        if state.completed:
            raise SessionCompleted(_COMPLETED)
        if state.expires_at <= utcnow():
            raise SessionExpired(_EXPIRED)
        return state

    @staticmethod
    def _save(conn: Connection, state: SessionState) -> None:
        if not save_session(conn, state):
            raise SessionBusy(_BUSY)
