"""The onboarding conversation as transactions: start, answer, finalize, resume, abandon."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from notalabel.auth.login_guard import remember_client
from notalabel.auth.recovery import issue_recovery_codes
from notalabel.auth.security_log import announcement
from notalabel.db import Database, utcnow
from notalabel.engine.language import extract_artist_name
from notalabel.engine.pattern import PatternModel
from notalabel.events import Event, MessageBus
from notalabel.identity import conversation
from notalabel.identity.availability import available_suggestions, taken_name_keys
from notalabel.identity.conversation import PROMPTS, WELCOME, Step
from notalabel.identity.events import (
    IdentityCreated,
    IdentitySessionAbandoned,
    IdentitySessionStarted,
)
from notalabel.identity.exceptions import (
    ArtistNameTaken,
    SessionBusy,
    SessionCompleted,
    SessionExpired,
    SessionNotFound,
    StepOutOfOrder,
)
from notalabel.identity.models import IdentitySession
from notalabel.identity.naming import clean_name, name_key, name_problem
from notalabel.identity.records import (
    account_outcome,
    pattern_out,
    pattern_record,
    session_out,
)
from notalabel.identity.schemas import (
    FinalizeResponse,
    MusicDNAOut,
    ProcessResponse,
    SessionOut,
    StartResponse,
)
from notalabel.patterns.service import save_signature_pattern
from notalabel.security import TokenService
from notalabel.users.profiles import load_me
from notalabel.users.service import ClientInfo, new_artist, sign_in


class IdentityService:
    """Runs each onboarding step in one transaction and publishes what happened."""

    def __init__(
        self, db: Database, tokens: TokenService, bus: MessageBus, session_ttl: timedelta
    ) -> None:
        self._db = db
        self._tokens = tokens
        self._bus = bus
        self._ttl = session_ttl

    async def start(self, client: ClientInfo) -> StartResponse:
        """Open a new session at the discovery step."""
        now = utcnow()
        row = IdentitySession(
            id=secrets.token_urlsafe(24),
            current_step=Step.DISCOVERY.value,
            seed=secrets.randbelow(2**31),
            user_responses=[],
            generated_patterns=[],
            name_alternatives=[],
            client_info=client.to_json(),
            created_at=now,
            updated_at=now,
            expires_at=now + self._ttl,
        )
        async with self._db.transaction() as tx:
            tx.add(row)
        await self._bus.publish([IdentitySessionStarted(session_id=row.id)])
        return StartResponse(
            session_id=row.id,
            step=Step.DISCOVERY.value,
            message=WELCOME,
            prompt=PROMPTS[Step.DISCOVERY],
            expires_at=row.expires_at,
        )

    async def process(self, session_id: str, text: str, client: ClientInfo) -> ProcessResponse:
        """Answer one input at whatever step the session is in."""
        events: list[Event] = []
        try:
            async with self._db.transaction() as tx:
                row = await self._load_live(tx, session_id)
                step = Step(row.current_step)
                if step is Step.DISCOVERY:
                    response = self._discover(row, text)
                elif step is Step.REFINEMENT:
                    response = self._refine(row, text)
                elif step is Step.NAMING:
                    response = await self._name(tx, row, text)
                else:
                    response = await self._confirm(tx, row, text, client, events)
        except StaleDataError as exc:
            raise SessionBusy("This session was changed by another request; try again.") from exc
        await self._bus.publish(events)
        return response

    async def finalize(self, session_id: str, client: ClientInfo) -> FinalizeResponse:
        """Create the account from a session waiting for confirmation."""
        events: list[Event] = []
        try:
            async with self._db.transaction() as tx:
                row = await self._load_live(tx, session_id)
                if row.current_step != Step.CONFIRMATION.value:
                    raise StepOutOfOrder(
                        f"This session is at the {row.current_step} step; "
                        "pick and confirm an artist name before finalizing.",
                        details={"step": row.current_step},
                    )
                self._record(row, Step.CONFIRMATION, "finalize", {"finalize": True})
                outcome = await self._create_account(tx, row, client, events)
        except StaleDataError as exc:
            raise SessionBusy("This session was changed by another request; try again.") from exc
        if isinstance(outcome, ProcessResponse):
            raise ArtistNameTaken(
                outcome.message,
                details={"step": Step.NAMING.value, "suggestions": outcome.suggestions},
            )
        await self._bus.publish(events)
        return outcome

    async def get(self, session_id: str) -> SessionOut:
        """Everything needed to resume a session; a completed one belongs to its account."""
        async with self._db.transaction() as tx:
            row = await self._load(tx, session_id, for_update=False)
        if row.completed:
            # the id alone must not read the transcript of an account (the export has it)
            raise SessionCompleted("This session already created an account. Sign in instead.")
        if row.expires_at <= utcnow():
            raise SessionExpired("This session has expired. Start a new one.")
        return session_out(row)

    async def abandon(self, session_id: str) -> None:
        """Delete an unfinished session and free the name it held."""
        async with self._db.transaction() as tx:
            row = await self._load(tx, session_id)
            if row.completed:
                raise SessionCompleted("This session already created an account.")
            await tx.delete(row)
        await self._bus.publish([IdentitySessionAbandoned(session_id=session_id)])

    async def prune_expired(self) -> int:
        """Delete unfinished sessions past their lifetime (their transcripts are personal data)."""
        async with self._db.transaction() as tx:
            result = await tx.execute(
                delete(IdentitySession).where(
                    IdentitySession.completed.is_(False), IdentitySession.expires_at <= utcnow()
                )
            )
        return int(getattr(result, "rowcount", 0) or 0)

    # steps

    def _discover(self, row: IdentitySession, text: str) -> ProcessResponse:
        found = conversation.discover(text, row.seed)
        row.music_dna = found.dna.to_json()
        record = pattern_record(found.pattern, Step.DISCOVERY, len(row.generated_patterns))
        row.generated_patterns = [*row.generated_patterns, record]
        self._record(row, Step.DISCOVERY, text, {"musicDNA": row.music_dna})
        row.current_step = Step.REFINEMENT.value
        return ProcessResponse(
            success=True,
            step=Step.DISCOVERY.value,
            next_step=Step.REFINEMENT.value,
            message=found.message,
            prompt=PROMPTS[Step.REFINEMENT],
            pattern=pattern_out(record),
            music_dna=MusicDNAOut.model_validate(row.music_dna),
        )

    def _refine(self, row: IdentitySession, text: str) -> ProcessResponse:
        last = row.generated_patterns[-1]
        model = PatternModel.from_json(last["model"])
        seed = row.seed + len(row.generated_patterns)
        result = conversation.refine(model, text, seed)
        kinds = [a.kind.value for a in result.adjustments]
        self._record(
            row, Step.REFINEMENT, text, {"accepted": result.accepted, "adjustments": kinds}
        )
        if result.accepted:
            row.current_step = Step.NAMING.value
            return self._reply(Step.REFINEMENT, Step.NAMING, result.message, success=True)
        if result.pattern is None:
            return self._reply(Step.REFINEMENT, Step.REFINEMENT, result.message, success=False)
        record = pattern_record(result.pattern, Step.REFINEMENT, len(row.generated_patterns))
        record["userFeedback"] = text
        record["refinementRequests"] = kinds
        row.generated_patterns = [*row.generated_patterns, record]
        response = self._reply(Step.REFINEMENT, Step.REFINEMENT, result.message, success=True)
        response.prompt = "How's this version? (love it / another change)"
        response.pattern = pattern_out(record)
        return response

    async def _name(self, tx: AsyncSession, row: IdentitySession, text: str) -> ProcessResponse:
        extracted = extract_artist_name(text)
        name = clean_name(extracted or "")
        problem = name_problem(name) if name else None
        if not name or problem is not None:
            message = (
                problem.message
                if problem
                else "Tell me the name you'd like, e.g. 'call me DreamyBeats'."
            )
            self._record(row, Step.NAMING, text, {"artistName": name, "problem": message})
            response = self._reply(Step.NAMING, Step.NAMING, f"❌ {message}", success=False)
            if problem is not None and problem.code == "reserved":
                response.suggestions = await self._suggest(tx, row, name)
            return response
        if await taken_name_keys(tx, [name_key(name)], except_session=row.id):
            suggestions = await self._suggest(tx, row, name)
            self._record(row, Step.NAMING, text, {"artistName": name, "available": False})
            message = f'❌ "{name}" is taken. How about: {", ".join(suggestions)}?'
            response = self._reply(Step.NAMING, Step.NAMING, message, success=False)
            response.prompt = "Choose one of these or suggest another name:"
            response.suggestions = suggestions
            return response
        row.tentative_artist_name = name
        row.tentative_name_key = name_key(name)
        row.current_step = Step.CONFIRMATION.value
        self._record(row, Step.NAMING, text, {"artistName": name, "available": True})
        message = f'🎉 Perfect! "{name}" is available.'
        response = self._reply(Step.NAMING, Step.CONFIRMATION, message, success=True)
        response.artist_name = name
        return response

    async def _confirm(
        self,
        tx: AsyncSession,
        row: IdentitySession,
        text: str,
        client: ClientInfo,
        events: list[Event],
    ) -> ProcessResponse:
        answer = conversation.read_confirmation(text)
        self._record(row, Step.CONFIRMATION, text, {"confirmed": answer})
        if answer is None:
            message = f'Shall I create "{row.tentative_artist_name}"? Answer yes or no.'
            return self._reply(Step.CONFIRMATION, Step.CONFIRMATION, message, success=False)
        if not answer:
            row.current_step = Step.NAMING.value
            row.tentative_artist_name = row.tentative_name_key = None
            message = "No problem, let's find another name."
            return self._reply(Step.CONFIRMATION, Step.NAMING, message, success=True)
        outcome = await self._create_account(tx, row, client, events)
        if isinstance(outcome, ProcessResponse):
            return outcome
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

    async def _create_account(
        self, tx: AsyncSession, row: IdentitySession, client: ClientInfo, events: list[Event]
    ) -> FinalizeResponse | ProcessResponse:
        """Create user + signature pattern; if the name was lost to a race, go back to naming."""
        name = row.tentative_artist_name or ""
        last = row.generated_patterns[-1]
        dna = dict(row.music_dna or {})
        # the session's own changes go out first so a lost race rolls back only the account
        await tx.flush()
        try:
            async with tx.begin_nested():
                user = new_artist(
                    artist_name=name,
                    name_key=name_key(name),
                    music_dna=_settled_dna(dna, last),
                    signature_pattern={},
                    bio=f"Creating {last['genre']} beats with {last['mood']} vibes",
                    collaboration_openness=8 if dna.get("creationStyle") == "collaborative" else 5,
                )
                tx.add(user)
                await tx.flush()
                saved = await save_signature_pattern(tx, user, last)
                user.signature_pattern = saved
                signed = await sign_in(tx, self._tokens, user, "musical_identity", client)
                await tx.flush()
                # shown once, in this answer: the way back in without a password or device
                codes = await issue_recovery_codes(
                    tx, user.id, device_id=signed.device_id, client=client
                )
                # the device that made the identity is known to the password lockout later
                device_key = await remember_client(tx, user.id)
                me = await load_me(tx, user, signed.device_id)
        except IntegrityError:
            return await self._lost_name_race(tx, row, name)
        now = utcnow()
        row.current_step = Step.COMPLETED.value
        row.completed = True
        row.completed_at = now
        row.user_id = user.id
        row.client_info = {
            **row.client_info,
            "sessionDuration": int((now - row.created_at).total_seconds()),
        }
        events.append(
            IdentityCreated(
                session_id=row.id,
                user_id=user.id,
                artist_name=user.artist_name,
                signature_pattern_id=saved["id"],
                genre=saved["genre"],
                mood=saved["mood"],
            )
        )
        events.append(announcement(codes.entry))
        outcome = account_outcome(me, signed, saved)
        outcome.recovery_codes = codes.codes
        outcome.device_key = device_key
        return outcome

    async def _lost_name_race(
        self, tx: AsyncSession, row: IdentitySession, name: str
    ) -> ProcessResponse:
        suggestions = await self._suggest(tx, row, name)
        row.current_step = Step.NAMING.value
        row.tentative_artist_name = row.tentative_name_key = None
        row.name_alternatives = suggestions
        message = (
            f'❌ "{name}" was just taken by someone else. How about: {", ".join(suggestions)}?'
        )
        response = self._reply(Step.CONFIRMATION, Step.NAMING, message, success=False)
        response.prompt = "Choose one of these or suggest another name:"
        response.suggestions = suggestions
        return response

    # helpers

    async def _suggest(self, tx: AsyncSession, row: IdentitySession, name: str) -> list[str]:
        dna = row.music_dna or {}
        last = row.generated_patterns[-1] if row.generated_patterns else {}
        genre = last.get("genre") or dna.get("primaryGenre")
        mood = last.get("mood") or dna.get("preferredMood")
        free = await available_suggestions(tx, name, genre, mood, except_session=row.id)
        row.name_alternatives = free
        return free

    async def _load(
        self, tx: AsyncSession, session_id: str, *, for_update: bool = True
    ) -> IdentitySession:
        query = select(IdentitySession).where(IdentitySession.id == session_id)
        # writers lock the row on PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises them
        if for_update and not self._db.is_sqlite:
            query = query.with_for_update()
        row = (await tx.execute(query)).scalar_one_or_none()
        if row is None:
            raise SessionNotFound("No onboarding session with that id. Start a new one.")
        return row

    async def _load_live(self, tx: AsyncSession, session_id: str) -> IdentitySession:
        row = await self._load(tx, session_id)
        if row.completed:
            raise SessionCompleted("This session already created an account. Sign in instead.")
        if row.expires_at <= utcnow():
            raise SessionExpired("This session has expired. Start a new one.")
        return row

    @staticmethod
    def _record(row: IdentitySession, step: Step, text: str, data: dict[str, Any]) -> None:
        entry = {"step": step.value, "input": text, "processedData": data}
        entry["timestamp"] = utcnow().isoformat()
        row.user_responses = [*row.user_responses, entry]

    @staticmethod
    def _reply(step: Step, next_step: Step, message: str, *, success: bool) -> ProcessResponse:
        return ProcessResponse(
            success=success,
            step=step.value,
            next_step=next_step.value,
            message=message,
            prompt=PROMPTS[next_step],
        )


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
