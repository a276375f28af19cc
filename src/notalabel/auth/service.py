"""Password sign-in with lockout, refresh-token rotation, logout and device management."""

from __future__ import annotations

import asyncio
import dataclasses

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from notalabel.auth.events import (
    CredentialsAttached,
    DeviceRevoked,
    LoginFailed,
    RefreshTokenReused,
    UserSignedIn,
)
from notalabel.auth.exceptions import (
    CurrentPasswordRequired,
    DeviceNotFound,
    EmailTaken,
    InvalidCredentials,
    InvalidRefreshToken,
)
from notalabel.auth.lockout import lock_duration
from notalabel.auth.passwords import (
    dummy_hash,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from notalabel.auth.schemas import CredentialsOut, DeviceOut, TokensOut
from notalabel.config import Settings
from notalabel.db import Database, utcnow
from notalabel.errors import InvalidInput
from notalabel.events import Event, MessageBus
from notalabel.identity.naming import name_key
from notalabel.security import TokenService, hash_token
from notalabel.users.models import Device, RefreshToken, User
from notalabel.users.service import (
    ClientInfo,
    Principal,
    SignedIn,
    issue_tokens,
    live_devices,
    sign_in,
)

WRONG_CREDENTIALS = "Invalid email, artist name or password."
WRONG_REFRESH = "Invalid refresh token."


@dataclasses.dataclass(frozen=True, slots=True)
class _LoginTarget:
    user_id: str | None
    password_hash: str | None
    locked: bool


class AuthService:
    """Owns every transaction that creates, rotates or ends a sign-in."""

    def __init__(
        self, db: Database, tokens: TokenService, bus: MessageBus, settings: Settings
    ) -> None:
        self._db = db
        self._tokens = tokens
        self._bus = bus
        self._settings = settings

    async def set_credentials(
        self, principal: Principal, email: str, password: str, current: str | None
    ) -> CredentialsOut:
        """Attach an email and password; a change needs the current one, ends other sign-ins."""
        user = principal.user
        problem = password_problem(password, artist_name=user.artist_name, email=email)
        if problem is not None:
            raise InvalidInput(problem, details=[{"field": "password", "message": problem}])
        if user.password_hash is not None:
            confirmed = current is not None and await asyncio.to_thread(
                verify_password, user.password_hash, current
            )
            if not confirmed:
                raise CurrentPasswordRequired("Give your current password to change it.")
        new_hash = await asyncio.to_thread(hash_password, password)
        try:
            async with self._db.transaction() as tx:
                await tx.execute(
                    update(User)
                    .where(User.id == user.id)
                    .values(
                        email=email,
                        email_key=email.casefold(),
                        password_hash=new_hash,
                        failed_logins=0,
                        login_locked_until=None,
                        updated_at=utcnow(),
                    )
                )
                if user.password_hash is not None:
                    # a changed password may mean a stolen one: end every other sign-in
                    await tx.execute(
                        update(Device)
                        .where(
                            Device.user_id == user.id,
                            Device.id != principal.device.id,
                            Device.revoked_at.is_(None),
                        )
                        .values(revoked_at=utcnow())
                    )
        except IntegrityError as exc:
            raise EmailTaken("Another account already uses this email.") from exc
        await self._bus.publish([CredentialsAttached(user_id=user.id)])
        return CredentialsOut(email=email)

    async def login(self, identifier: str, password: str, client: ClientInfo) -> TokensOut:
        """Sign in with email or artist name; one slow answer for every kind of failure."""
        target = await self._find_login_target(identifier)
        # always verify a hash, so a missing account costs the same time as a wrong password
        matches = await asyncio.to_thread(
            verify_password, target.password_hash or dummy_hash(), password
        )
        if not matches or target.user_id is None or target.password_hash is None or target.locked:
            await self._record_failure(target)
            raise InvalidCredentials(WRONG_CREDENTIALS)
        rehash = needs_rehash(target.password_hash)
        new_hash = await asyncio.to_thread(hash_password, password) if rehash else None
        async with self._db.transaction() as tx:
            user = await tx.get(User, target.user_id)
            if user is None:
                raise InvalidCredentials(WRONG_CREDENTIALS)
            user.failed_logins = 0
            user.login_locked_until = None
            if new_hash is not None:
                user.password_hash = new_hash
            signed = await sign_in(tx, self._tokens, user, "email", client)
        await self._bus.publish(
            [UserSignedIn(user_id=target.user_id, device_id=signed.device_id, login_method="email")]
        )
        return _tokens_out(signed)

    async def refresh(self, refresh_token: str) -> TokensOut:
        """Exchange a refresh token for new tokens; a reused one revokes its device sign-in."""
        events: list[Event] = []
        now = utcnow()
        async with self._db.transaction() as tx:
            query = (
                select(RefreshToken, Device, User)
                .join(Device, Device.id == RefreshToken.device_id)
                .join(User, User.id == Device.user_id)
                .where(RefreshToken.token_hash == hash_token(refresh_token))
            )
            if not self._db.is_sqlite:
                query = query.with_for_update()
            row = (await tx.execute(query)).one_or_none()
            outcome: TokensOut | None = None
            if row is not None:
                token, device, user = row
                if token.used_at is not None and device.revoked_at is None:
                    device.revoked_at = now
                    events.append(RefreshTokenReused(user_id=user.id, device_id=device.id))
                elif token.used_at is None and device.revoked_at is None and token.expires_at > now:
                    token.used_at = now
                    device.last_used_at = now
                    signed = issue_tokens(tx, self._tokens, user, device)
                    outcome = _tokens_out(signed)
        await self._bus.publish(events)
        if outcome is None:
            raise InvalidRefreshToken(WRONG_REFRESH)
        return outcome

    async def logout(self, principal: Principal) -> None:
        """End the caller's own device sign-in."""
        await self.revoke_device(principal.user.id, principal.device.id)

    async def devices(self, principal: Principal) -> list[DeviceOut]:
        """The caller's live device sign-ins, most recently used first."""
        async with self._db.transaction() as tx:
            devices = await live_devices(tx, principal.user.id)
        return [device_out(d, current=d.id == principal.device.id) for d in devices]

    async def revoke_device(self, user_id: str, device_id: str) -> None:
        """End one device sign-in of `user_id`; its tokens stop working at once."""
        async with self._db.transaction() as tx:
            result = await tx.execute(
                update(Device)
                .where(
                    Device.id == device_id,
                    Device.user_id == user_id,
                    Device.revoked_at.is_(None),
                )
                .values(revoked_at=utcnow())
            )
            if getattr(result, "rowcount", 0) != 1:
                raise DeviceNotFound("No signed-in device with that id.")
        await self._bus.publish([DeviceRevoked(user_id=user_id, device_id=device_id)])

    async def _find_login_target(self, identifier: str) -> _LoginTarget:
        async with self._db.transaction() as tx:
            user = await tx.scalar(
                select(User).where(
                    or_(
                        User.email_key == identifier.casefold(),
                        User.artist_name_key == name_key(identifier),
                    )
                )
            )
        if user is None:
            return _LoginTarget(None, None, locked=False)
        locked = user.login_locked_until is not None and user.login_locked_until > utcnow()
        return _LoginTarget(user.id, user.password_hash, locked)

    async def _record_failure(self, target: _LoginTarget) -> None:
        events: list[Event] = [LoginFailed(user_id=target.user_id or "", locked=target.locked)]
        if target.user_id is not None and target.password_hash is not None and not target.locked:
            async with self._db.transaction() as tx:
                failures = await tx.scalar(
                    update(User)
                    .where(User.id == target.user_id)
                    .values(failed_logins=User.failed_logins + 1)
                    .returning(User.failed_logins)
                )
                duration = lock_duration(
                    int(failures or 0),
                    threshold=self._settings.login_lockout_threshold,
                    base_seconds=self._settings.login_lockout_base_seconds,
                    max_seconds=self._settings.login_lockout_max_seconds,
                )
                if duration is not None:
                    await tx.execute(
                        update(User)
                        .where(User.id == target.user_id)
                        .values(login_locked_until=utcnow() + duration)
                    )
        await self._bus.publish(events)


def device_out(device: Device, *, current: bool = False) -> DeviceOut:
    """A device as the API shows it."""
    return DeviceOut(
        id=device.id,
        device_type=device.device_type,
        user_agent=device.user_agent,
        login_method=device.login_method,
        created_at=device.created_at,
        last_used_at=device.last_used_at,
        current=current,
    )


def _tokens_out(signed: SignedIn) -> TokensOut:
    return TokensOut(
        token=signed.access_token,
        refresh_token=signed.refresh_token,
        expires_in=signed.expires_in,
    )
