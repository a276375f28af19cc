"""Re-authentication, sign-in by recovery code and replacing recovery codes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.auth.events import UserSignedIn
from notalabel.auth.exceptions import InvalidCredentials
from notalabel.auth.hashing import off_loop
from notalabel.auth.login_guard import remember_client
from notalabel.auth.passwords import dummy_hash, verify_password
from notalabel.auth.recovery import codes_left, issue_recovery_codes, spend_recovery_code
from notalabel.auth.schemas import TokensOut
from notalabel.auth.security_feed import acknowledge, events_page
from notalabel.auth.security_log import (
    REAUTHENTICATED,
    REAUTHENTICATION_FAILED,
    RECOVERY_CODE_USED,
    RECOVERY_FAILED,
    SIGNED_IN_WITH_RECOVERY_CODE,
    SecurityEvent,
    announcement,
    record_security_event,
)
from notalabel.auth.security_schemas import (
    RecoveredOut,
    RecoveryCodesOut,
    RecoveryStatusOut,
    SecurityEventPage,
)
from notalabel.auth.service import WRONG_CREDENTIALS, tokens_out
from notalabel.db import Database, utcnow
from notalabel.events import Event, MessageBus
from notalabel.identity.naming import name_key
from notalabel.security import TokenService
from notalabel.users.models import Device, RefreshToken, User
from notalabel.users.service import ClientInfo, Principal, issue_tokens, sign_in

WRONG_RECOVERY = "Invalid artist name or recovery code."
# Per account: this many wrong passwords or recovery codes (re-authentication and recovery
# together) within the window and since the last success, and both refuse every attempt
# until the window slides past them. 5 per 15 minutes leaves an 80-bit code unguessable.
FAILURE_LIMIT = 5
FAILURE_WINDOW = timedelta(minutes=15)
_FAILURES = (REAUTHENTICATION_FAILED, RECOVERY_FAILED)
_SUCCESSES = (REAUTHENTICATED, SIGNED_IN_WITH_RECOVERY_CODE)


class AccountSecurity:
    """Owns the transactions that prove a sign-in again or replace recovery codes."""

    def __init__(self, db: Database, tokens: TokenService, bus: MessageBus) -> None:
        self._db = db
        self._tokens = tokens
        self._bus = bus

    async def reauthenticate(
        self, principal: Principal, password: str | None, code: str | None, client: ClientInfo
    ) -> TokensOut:
        """Prove this device's sign-in again: fresh tokens whose auth_time is now."""
        user = principal.user
        method = "password" if password is not None else "recovery_code"
        password_ok = False
        if password is not None:
            # always one argon2 verification, so an account without a password answers alike
            verified = await off_loop(verify_password, user.password_hash or dummy_hash(), password)
            password_ok = verified and user.password_hash is not None
        entries: list[SecurityEvent] = []
        outcome: TokensOut | None = None
        async with self._db.transaction() as tx:
            device = await self._live_device(tx, principal.device.id)
            if device is not None and not await _throttled(tx, user.id):
                log = _Log(tx, user.id, device.id, client, entries)
                if password is None:
                    proven = await self._spend(tx, log, code or "", "reauthentication")
                else:
                    proven = password_ok
                if proven:
                    outcome = await self._renew(tx, user, device)
                    log.add(REAUTHENTICATED, method=method)
                else:
                    log.add(REAUTHENTICATION_FAILED, method=method)
            events: list[Event] = [announcement(e) for e in entries]
            await self._bus.stage_in(tx, events)
        await self._bus.deliver(events)
        if outcome is None:
            raise InvalidCredentials(WRONG_CREDENTIALS)
        return outcome

    async def recover(self, artist_name: str, code: str, client: ClientInfo) -> RecoveredOut:
        """Sign a new device in with a recovery code; it counts as a recent authentication."""
        entries: list[SecurityEvent] = []
        outcome: RecoveredOut | None = None
        async with self._db.transaction() as tx:
            user = await tx.scalar(
                select(User).where(User.artist_name_key == name_key(artist_name))
            )
            if user is not None and not await _throttled(tx, user.id):
                if await spend_recovery_code(tx, user.id, code):
                    signed = await sign_in(tx, self._tokens, user, "recovery_code", client)
                    device_key = await remember_client(tx, user.id)
                    log = _Log(tx, user.id, signed.device_id, client, entries)
                    left, _ = await codes_left(tx, user.id)
                    log.add(RECOVERY_CODE_USED, purpose="sign_in", remaining=left)
                    log.add(SIGNED_IN_WITH_RECOVERY_CODE)
                    outcome = RecoveredOut(
                        token=signed.access_token,
                        refresh_token=signed.refresh_token,
                        expires_in=signed.expires_in,
                        recovery_codes_left=left,
                        device_key=device_key,
                    )
                else:
                    _Log(tx, user.id, None, client, entries).add(RECOVERY_FAILED)
            events: list[Event] = [announcement(e) for e in entries]
            if outcome is not None and user is not None:
                device_id = entries[0].device_id or ""
                events.append(
                    UserSignedIn(user_id=user.id, device_id=device_id, login_method="recovery_code")
                )
            await self._bus.stage_in(tx, events)
        await self._bus.deliver(events)
        if outcome is None:
            raise InvalidCredentials(WRONG_RECOVERY)
        return outcome

    async def regenerate_codes(self, principal: Principal, client: ClientInfo) -> RecoveryCodesOut:
        """Replace the recovery codes; the new set is returned this once."""
        async with self._db.transaction() as tx:
            issued = await issue_recovery_codes(
                tx, principal.user.id, device_id=principal.device.id, client=client
            )
            regenerated: list[Event] = [announcement(issued.entry)]
            await self._bus.stage_in(tx, regenerated)
        await self._bus.deliver(regenerated)
        return RecoveryCodesOut(recovery_codes=issued.codes, remaining=len(issued.codes))

    async def recovery_status(self, user_id: str) -> RecoveryStatusOut:
        """How many recovery codes are left."""
        async with self._db.transaction() as tx:
            left, generated_at = await codes_left(tx, user_id)
        return RecoveryStatusOut(remaining=left, generated_at=generated_at)

    async def events(self, user_id: str, limit: int, cursor: str | None) -> SecurityEventPage:
        """One page of the account's security log, newest first."""
        async with self._db.transaction() as tx:
            return await events_page(tx, user_id, limit=limit, cursor=cursor)

    async def acknowledge(self, device_id: str) -> None:
        """Mark every security alert up to now as seen on this device."""
        async with self._db.transaction() as tx:
            await acknowledge(tx, device_id)

    async def _spend(self, tx: AsyncSession, log: _Log, code: str, purpose: str) -> bool:
        if not await spend_recovery_code(tx, log.user_id, code):
            return False
        left, _ = await codes_left(tx, log.user_id)
        log.add(RECOVERY_CODE_USED, purpose=purpose, remaining=left)
        return True

    async def _renew(self, tx: AsyncSession, user: User, device: Device) -> TokensOut:
        now = utcnow()
        # the device keeps exactly one live refresh token: its older ones now count as used,
        # so presenting one again is the reuse that revokes this sign-in
        await tx.execute(
            update(RefreshToken)
            .where(RefreshToken.device_id == device.id, RefreshToken.used_at.is_(None))
            .values(used_at=now)
        )
        device.authenticated_at = now
        device.last_used_at = now
        signed = issue_tokens(tx, self._tokens, user, device)
        return tokens_out(signed)

    async def _live_device(self, tx: AsyncSession, device_id: str) -> Device | None:
        query = select(Device).where(Device.id == device_id, Device.revoked_at.is_(None))
        # a concurrent refresh of the same device waits, so only one refresh token stays live
        if not self._db.is_sqlite:
            query = query.with_for_update()
        return (await tx.execute(query)).scalar_one_or_none()


class _Log:
    """Records entries for one account and device from one client into one transaction."""

    def __init__(
        self,
        tx: AsyncSession,
        user_id: str,
        device_id: str | None,
        client: ClientInfo,
        into: list[SecurityEvent],
    ) -> None:
        self._tx = tx
        self.user_id = user_id
        self._device_id = device_id
        self._client = client
        self._into = into

    def add(self, kind: str, **details: Any) -> None:
        """Record one entry of `kind`."""
        entry = record_security_event(
            self._tx,
            self.user_id,
            kind,
            device_id=self._device_id,
            ip_address=self._client.ip_address,
            user_agent=self._client.user_agent,
            details=details,
        )
        self._into.append(entry)


async def _throttled(tx: AsyncSession, user_id: str) -> bool:
    """True when the account had too many recent failures since its last success."""
    since = utcnow() - FAILURE_WINDOW
    last_success = await tx.scalar(
        select(func.max(SecurityEvent.created_at)).where(
            SecurityEvent.user_id == user_id,
            SecurityEvent.kind.in_(_SUCCESSES),
            SecurityEvent.created_at > since,
        )
    )
    failures = await tx.scalar(
        select(func.count(SecurityEvent.id)).where(
            SecurityEvent.user_id == user_id,
            SecurityEvent.kind.in_(_FAILURES),
            SecurityEvent.created_at > (last_success or since),
        )
    )
    return int(failures or 0) >= FAILURE_LIMIT
