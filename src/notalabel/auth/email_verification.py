"""Attaching an email only after a 6-digit code sent to it comes back."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.auth.events import CredentialsAttached
from notalabel.auth.exceptions import (
    EmailTaken,
    InvalidVerificationCode,
    MailUnavailable,
    TooManyCodes,
)
from notalabel.auth.models import EmailVerification
from notalabel.auth.security_log import (
    EMAIL_CHANGED,
    SecurityEvent,
    announcement,
    record_security_event,
)
from notalabel.config import Settings
from notalabel.db import Database, utcnow
from notalabel.events import Event, MessageBus
from notalabel.mail import Mailer, MailMessage
from notalabel.users.models import User
from notalabel.users.service import ClientInfo, Principal

MAX_WRONG_CODES = 5
WRONG_CODE = "That code is wrong, expired or already used: ask for a new one."


def new_code() -> str:
    """Six random digits."""
    return f"{secrets.randbelow(1_000_000):06d}"


def code_hash(secret: str, verification_id: str, code: str) -> str:
    """Keyed hash of a code: a leaked table alone cannot be brute-forced over a million codes."""
    message = f"{verification_id}:{code}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class EmailVerificationService:
    """Sends codes and attaches the email they prove."""

    def __init__(self, db: Database, mailer: Mailer, bus: MessageBus, settings: Settings) -> None:
        self._db = db
        self._mailer = mailer
        self._bus = bus
        self._settings = settings

    async def start(self, principal: Principal, email: str, client: ClientInfo) -> timedelta:
        """Send a code to `email` (earlier codes stop working); returns how long it lives."""
        now = utcnow()
        lifetime = timedelta(minutes=self._settings.email_code_minutes)
        verification_id = f"ev_{uuid.uuid4().hex}"
        code = new_code()
        async with self._db.transaction() as tx:
            await self._check_send_limits(tx, principal.user.id, client.ip_address, now)
            await tx.execute(
                update(EmailVerification)
                .where(
                    EmailVerification.user_id == principal.user.id,
                    EmailVerification.closed_at.is_(None),
                )
                .values(closed_at=now)
            )
            tx.add(
                EmailVerification(
                    id=verification_id,
                    user_id=principal.user.id,
                    email=email,
                    code_hash=code_hash(self._settings.signing_secret, verification_id, code),
                    attempts=0,
                    ip_address=client.ip_address[:64],
                    created_at=now,
                    expires_at=now + lifetime,
                )
            )
        minutes = self._settings.email_code_minutes
        message = MailMessage(
            to=email,
            subject="Your Not a Label verification code",
            body=(
                f"Your Not a Label verification code is {code}.\n\n"
                f"It works once, for {minutes} minutes. If you did not ask for it, "
                "ignore this email: nothing changes without the code.\n"
            ),
            summary=f"email verification code for {principal.user.id}",
        )
        try:
            await self._mailer.send(message)
        except Exception as exc:
            raise MailUnavailable("The code could not be sent; try again later.") from exc
        return lifetime

    async def verify(self, principal: Principal, code: str, client: ClientInfo) -> str:
        """Attach the email the latest code was sent to; returns that email."""
        now = utcnow()
        user_id = principal.user.id
        matched = taken = False
        logged: SecurityEvent | None = None
        taken = False
        events: list[Event] = []
        try:
            async with self._db.transaction() as tx:
                pending = await self._latest_open(tx, user_id)
                if pending is None or pending.expires_at <= now:
                    raise InvalidVerificationCode(WRONG_CODE)
                expected = code_hash(self._settings.signing_secret, pending.id, code)
                matched = hmac.compare_digest(expected, pending.code_hash)
                if matched:
                    pending.closed_at = now
                    taken = await self._taken_by_other(tx, user_id, pending.email)
                    if not taken:
                        logged = await self._attach(tx, principal, pending.email, client, now)
                else:
                    pending.attempts += 1
                    if pending.attempts >= MAX_WRONG_CODES:
                        pending.closed_at = now
                if matched and not taken:
                    events = [CredentialsAttached(user_id=user_id)]
                    if logged is not None:
                        events.append(announcement(logged))
                    await self._bus.stage_in(tx, events)
        except IntegrityError as exc:
            raise EmailTaken("Another account already uses this email.") from exc
        # the wrong try (or the closed code) is committed before answering
        if not matched:
            raise InvalidVerificationCode(WRONG_CODE)
        if taken:
            raise EmailTaken("Another account already uses this email.")
        await self._bus.deliver(events)
        return pending.email

    async def _check_send_limits(
        self, tx: AsyncSession, user_id: str, ip_address: str, now: datetime
    ) -> None:
        since = now - timedelta(hours=1)
        recent = select(func.count()).select_from(EmailVerification)
        by_user = await tx.scalar(
            recent.where(EmailVerification.user_id == user_id, EmailVerification.created_at > since)
        )
        if int(by_user or 0) >= self._settings.email_code_sends_per_hour:
            raise TooManyCodes("Too many codes sent to this account lately; try again later.")
        if ip_address:
            by_ip = await tx.scalar(
                recent.where(
                    EmailVerification.ip_address == ip_address[:64],
                    EmailVerification.created_at > since,
                )
            )
            if int(by_ip or 0) >= self._settings.email_code_sends_per_ip_per_hour:
                raise TooManyCodes("Too many codes sent from this address; try again later.")

    async def _latest_open(self, tx: AsyncSession, user_id: str) -> EmailVerification | None:
        query = (
            select(EmailVerification)
            .where(EmailVerification.user_id == user_id, EmailVerification.closed_at.is_(None))
            .order_by(EmailVerification.created_at.desc())
            .limit(1)
        )
        if not self._db.is_sqlite:
            query = query.with_for_update()
        return (await tx.scalars(query)).first()

    async def _taken_by_other(self, tx: AsyncSession, user_id: str, email: str) -> bool:
        owner = await tx.scalar(select(User.id).where(User.email_key == email.casefold()))
        return owner is not None and owner != user_id

    async def _attach(
        self,
        tx: AsyncSession,
        principal: Principal,
        email: str,
        client: ClientInfo,
        now: datetime,
    ) -> SecurityEvent:
        had_email = principal.user.email is not None
        await tx.execute(
            update(User)
            .where(User.id == principal.user.id)
            .values(email=email, email_key=email.casefold(), updated_at=now)
        )
        await tx.flush()
        return record_security_event(
            tx,
            principal.user.id,
            EMAIL_CHANGED,
            device_id=principal.device.id,
            ip_address=client.ip_address,
            user_agent=client.user_agent,
            details={"first": not had_email},
        )
