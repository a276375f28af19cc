"""Passwords, sign-in with per-client lockout, refresh with a reuse grace window, devices."""

from __future__ import annotations

import dataclasses

from sqlalchemy import or_, select, update
from sqlalchemy.engine import Connection

from notalabel.auth.email_verification import EmailVerificationService
from notalabel.auth.events import CredentialsAttached, DeviceRevoked, LoginFailed, UserSignedIn
from notalabel.auth.exceptions import DeviceNotFound, InvalidCredentials, InvalidRefreshToken
from notalabel.auth.hashing import off_loop
from notalabel.auth.lockout import LoginClient, is_locked
from notalabel.auth.login_guard import (
    clear_client_failures,
    client_state,
    count_failure,
    remember_client,
)
from notalabel.auth.passwords import (
    dummy_hash,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from notalabel.auth.rotation import Rotation, rotate
from notalabel.auth.schemas import CredentialsOut, DeviceOut, TokensOut
from notalabel.auth.security_log import (
    CREDENTIALS_SET,
    DEVICE_REVOKED,
    PASSWORD_CHANGED,
    announcement,
    record_security_event,
)
from notalabel.auth.sensitive import confirm_sensitive
from notalabel.config import Settings
from notalabel.db import Database, utcnow
from notalabel.errors import InvalidInput
from notalabel.events import Event, MessageBus
from notalabel.identity.naming import name_key
from notalabel.security import TokenService
from notalabel.users.models import Device, User
from notalabel.users.service import ClientInfo, Principal, SignedIn, live_devices, sign_in

_NO_CLIENT = ClientInfo()
WRONG_CREDENTIALS = "Invalid email, artist name or password."
WRONG_REFRESH = "Invalid refresh token."


@dataclasses.dataclass(frozen=True, slots=True)
class _LoginTarget:
    user_id: str | None
    password_hash: str | None
    client: LoginClient | None
    locked: bool


class AuthService:
    """Owns every transaction that creates, rotates or ends a sign-in."""

    def __init__(
        self,
        db: Database,
        tokens: TokenService,
        bus: MessageBus,
        settings: Settings,
        emails: EmailVerificationService,
    ) -> None:
        self._db = db
        self._tokens = tokens
        self._bus = bus
        self._settings = settings
        self._emails = emails

    async def set_password(
        self, principal: Principal, password: str, current: str | None, client: ClientInfo
    ) -> CredentialsOut:
        """Set or change the password (recent sign-in or current password); ends other sign-ins."""
        user = principal.user
        _check_password(password, user.artist_name, user.email)
        await confirm_sensitive(principal, current, self._settings.reauth_minutes)
        new_hash = await off_loop(hash_password, password)
        first = user.password_hash is None
        async with self._db.transaction() as tx:
            await tx.execute(
                update(User)
                .where(User.id == user.id)
                .values(password_hash=new_hash, updated_at=utcnow())
            )
            if not first:
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
            entry = record_security_event(
                tx,
                user.id,
                CREDENTIALS_SET if first else PASSWORD_CHANGED,
                device_id=principal.device.id,
                ip_address=client.ip_address,
                user_agent=client.user_agent,
            )
            attached = [CredentialsAttached(user_id=user.id), announcement(entry)]
            await self._bus.stage_in(tx, attached)
        await self._bus.deliver(attached)
        return CredentialsOut(email=user.email, has_password=True)

    async def set_credentials(
        self,
        principal: Principal,
        email: str,
        password: str,
        current: str | None,
        client: ClientInfo,
    ) -> CredentialsOut:
        """Set the password now and send a code to `email`; the email attaches once verified."""
        _check_password(password, principal.user.artist_name, email)
        await self.set_password(principal, password, current, client)
        pending = None
        if email.casefold() != principal.user.email_key:
            await self._emails.start(principal, email, client)
            pending = email
        return CredentialsOut(email=principal.user.email, has_password=True, pending_email=pending)

    async def login(
        self, identifier: str, password: str, client: ClientInfo, device_key: str | None = None
    ) -> TokensOut:
        """Sign in with email or artist name; one slow answer for every kind of failure."""
        target = await self._find_login_target(identifier, device_key, client.ip_address)
        # always verify a hash, so a missing account costs the same time as a wrong password
        matches = await off_loop(verify_password, target.password_hash or dummy_hash(), password)
        if (
            not matches
            or target.user_id is None
            or target.password_hash is None
            or target.client is None
            or target.locked
        ):
            await self._record_failure(target, client)
            raise InvalidCredentials(WRONG_CREDENTIALS)
        rehash = needs_rehash(target.password_hash)
        new_hash = await off_loop(hash_password, password) if rehash else None
        async with self._db.transaction() as tx:
            user = await tx.get(User, target.user_id)
            if user is None:
                raise InvalidCredentials(WRONG_CREDENTIALS)
            if new_hash is not None:
                user.password_hash = new_hash
            await clear_client_failures(tx, user.id, target.client)
            signed = await sign_in(tx, self._tokens, user, "email", client)
            key = await remember_client(tx, user.id, device_key)
            signed_in = [
                UserSignedIn(user_id=user.id, device_id=signed.device_id, login_method="email")
            ]
            await self._bus.stage_in(tx, signed_in)
        await self._bus.deliver(signed_in)
        return tokens_out(signed, device_key=key)

    async def refresh(self, refresh_token: str) -> TokensOut:
        """Exchange a refresh token; a reuse past the grace window revokes its device sign-in."""
        grace = self._settings.refresh_reuse_grace_seconds
        events: list[Event] = []

        def work(conn: Connection) -> Rotation:
            rotation = rotate(conn, self._tokens, refresh_token, grace_seconds=grace)
            if rotation.reused is not None:
                events.append(rotation.reused)
            if rotation.logged is not None:
                events.append(announcement(rotation.logged))
            self._bus.stage(conn, events)
            return rotation

        rotation = await self._db.run(work)
        await self._bus.deliver(events)
        if rotation.signed is None:
            raise InvalidRefreshToken(WRONG_REFRESH)
        return tokens_out(rotation.signed)

    async def logout(self, principal: Principal) -> None:
        """End the caller's own device sign-in."""
        await self.revoke_device(principal.user.id, principal.device.id, by_device=None)

    async def devices(self, principal: Principal) -> list[DeviceOut]:
        """The caller's live device sign-ins, most recently used first."""
        async with self._db.transaction() as tx:
            devices = await live_devices(tx, principal.user.id)
        return [device_out(d, current=d.id == principal.device.id) for d in devices]

    async def revoke_device(
        self,
        user_id: str,
        device_id: str,
        *,
        by_device: str | None,
        client: ClientInfo = _NO_CLIENT,
    ) -> None:
        """End one device sign-in of `user_id`; its tokens stop working at once.

        Signing another device out (`by_device` set) is logged and announced; a logout is not.
        """
        events: list[Event] = [DeviceRevoked(user_id=user_id, device_id=device_id)]
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
            if by_device is not None:
                entry = record_security_event(
                    tx,
                    user_id,
                    DEVICE_REVOKED,
                    device_id=by_device,
                    ip_address=client.ip_address,
                    user_agent=client.user_agent,
                    details={"revokedDevice": device_id},
                )
                events.append(announcement(entry))
            await self._bus.stage_in(tx, events)
        await self._bus.deliver(events)

    async def _find_login_target(
        self, identifier: str, device_key: str | None, ip_address: str
    ) -> _LoginTarget:
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
                return _LoginTarget(None, None, None, locked=False)
            state = await client_state(tx, user.id, device_key, ip_address)
        locked = is_locked(
            state.client,
            client_locked_until=state.client_locked_until,
            account_locked_until=user.login_locked_until,
            now=utcnow(),
        )
        return _LoginTarget(user.id, user.password_hash, state.client, locked)

    async def _record_failure(self, target: _LoginTarget, client: ClientInfo) -> None:
        events: list[Event] = [LoginFailed(user_id=target.user_id or "", locked=target.locked)]
        # failures while locked are not counted, so a lock cannot be stretched from outside
        if (
            target.user_id is not None
            and target.password_hash is not None
            and target.client is not None
            and not target.locked
        ):
            async with self._db.transaction() as tx:
                locks = await count_failure(
                    tx,
                    self._settings,
                    target.user_id,
                    target.client,
                    client,
                    is_sqlite=self._db.is_sqlite,
                )
                events.extend(announcement(entry) for entry in locks)
                await self._bus.stage_in(tx, events)
        else:
            # nothing else changed (an unknown artist, or a lock running): the event alone
            await self._db.run(lambda conn: self._bus.stage(conn, events))
        await self._bus.deliver(events)


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


def tokens_out(signed: SignedIn, *, device_key: str | None = None) -> TokensOut:
    """The API answer of a sign-in, a refresh or a re-authentication."""
    return TokensOut(
        token=signed.access_token,
        refresh_token=signed.refresh_token,
        expires_in=signed.expires_in,
        device_key=device_key,
    )


def _check_password(password: str, artist_name: str, email: str | None) -> None:
    problem = password_problem(password, artist_name=artist_name, email=email or "")
    if problem is not None:
        raise InvalidInput(problem, details=[{"field": "password", "message": problem}])
