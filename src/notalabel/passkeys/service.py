"""Registering passkeys, signing in with them, listing and removing them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.auth.events import UserSignedIn
from notalabel.auth.login_guard import remember_client
from notalabel.auth.schemas import TokensOut
from notalabel.auth.security_log import (
    PASSKEY_ADDED,
    PASSKEY_REMOVED,
    announcement,
    record_security_event,
)
from notalabel.auth.service import tokens_out
from notalabel.config import Settings
from notalabel.db import Database, utcnow
from notalabel.events import MessageBus
from notalabel.passkeys.challenges import (
    AUTHENTICATION,
    REGISTRATION,
    issue_challenge,
    take_challenge,
)
from notalabel.passkeys.events import PasskeyAdded, PasskeyRemoved
from notalabel.passkeys.exceptions import (
    ClonedAuthenticator,
    InvalidPasskey,
    PasskeyNotFound,
    PasskeyRegistrationFailed,
)
from notalabel.passkeys.models import Passkey, PasskeyUserHandle
from notalabel.passkeys.records import passkey_out, passkeys_of, user_handle
from notalabel.passkeys.schemas import PasskeyOut, PasskeySignInOptionsOut
from notalabel.passkeys.verification import (
    WRONG_PASSKEY,
    RelyingParty,
    StoredCredential,
    authentication_options,
    claimed_challenge,
    read_assertion,
    registration_options,
    verify_authentication,
    verify_registration,
)
from notalabel.security import TokenService
from notalabel.users.models import User
from notalabel.users.service import ClientInfo, Principal, find_by_ref, sign_in

DEFAULT_NAME = "Passkey"
# security-log kinds of this feature, beside auth's PASSKEY_ADDED and PASSKEY_REMOVED
PASSKEY_USED = "passkey_used"  # a device signed in with a passkey; details: {"passkeyId", "name"}
# a valid signature whose counter did not advance: a cloned key may be in use
PASSKEY_COUNTER_MISMATCH = "passkey_counter_mismatch"


class PasskeyService:
    """Owns every transaction of the passkey ceremonies."""

    def __init__(
        self, db: Database, tokens: TokenService, bus: MessageBus, settings: Settings
    ) -> None:
        self._db = db
        self._tokens = tokens
        self._bus = bus
        self.relying_party = RelyingParty.from_settings(settings)

    async def registration_options(self, principal: Principal) -> dict[str, Any]:
        """Creation options for a new passkey on the caller's account."""
        user = principal.user
        async with self._db.transaction() as tx:
            handle = await user_handle(tx, user.id)
            existing = await passkeys_of(tx, user.id)
            _, challenge = await issue_challenge(tx, REGISTRATION, user.id, utcnow())
        return registration_options(
            self.relying_party,
            challenge=challenge,
            user_handle=handle,
            user_name=user.artist_name,
            existing=[StoredCredential(p.credential_id, p.transports) for p in existing],
        )

    async def register(
        self, principal: Principal, credential: dict[str, Any], name: str | None, client: ClientInfo
    ) -> PasskeyOut:
        """Verify the browser's new credential against a challenge of this artist and keep it."""
        user_id = principal.user.id
        value = claimed_challenge(credential)
        async with self._db.transaction() as tx:
            pending = await take_challenge(tx, REGISTRATION, utcnow(), value=value, user_id=user_id)
        if pending is None:
            raise PasskeyRegistrationFailed(
                "This registration is unknown, used or expired: ask for new options."
            )
        new = verify_registration(self.relying_party, credential, pending.challenge)
        passkey = Passkey(
            id=f"pk_{uuid.uuid4().hex}",
            user_id=user_id,
            credential_id=new.credential_id,
            public_key=new.public_key,
            sign_count=new.sign_count,
            transports=new.transports,
            aaguid=new.aaguid,
            backed_up=new.backed_up,
            name=name or DEFAULT_NAME,
            created_at=utcnow(),
        )
        try:
            async with self._db.transaction() as tx:
                tx.add(passkey)
                await tx.flush()
                entry = record_security_event(
                    tx,
                    user_id,
                    PASSKEY_ADDED,
                    device_id=principal.device.id,
                    ip_address=client.ip_address,
                    user_agent=client.user_agent,
                    details={"passkeyId": passkey.id, "name": passkey.name},
                )
                added = [PasskeyAdded(user_id=user_id, passkey_id=passkey.id), announcement(entry)]
                await self._bus.stage_in(tx, added)
        except IntegrityError as exc:
            raise PasskeyRegistrationFailed("This passkey is already registered.") from exc
        await self._bus.deliver(added)
        return passkey_out(passkey)

    async def sign_in_options(self, artist_name: str | None) -> PasskeySignInOptionsOut:
        """Request options; naming an artist lists their passkeys, else any discoverable one."""
        async with self._db.transaction() as tx:
            user = await find_by_ref(tx, artist_name) if artist_name else None
            allowed = await passkeys_of(tx, user.id) if user is not None else []
            challenge_id, challenge = await issue_challenge(
                tx, AUTHENTICATION, user.id if user is not None else None, utcnow()
            )
        options = authentication_options(
            self.relying_party,
            challenge=challenge,
            allowed=[StoredCredential(p.credential_id, p.transports) for p in allowed],
        )
        return PasskeySignInOptionsOut(challenge_id=challenge_id, public_key=options)

    async def sign_in(
        self, challenge_id: str, credential: dict[str, Any], client: ClientInfo
    ) -> TokensOut:
        """Sign in a new device with a passkey; any failure is the same 401 invalid_passkey."""
        assertion = read_assertion(credential)
        async with self._db.transaction() as tx:
            pending = await take_challenge(tx, AUTHENTICATION, utcnow(), challenge_id=challenge_id)
            row = (
                await tx.execute(
                    select(Passkey, PasskeyUserHandle.handle)
                    .join(PasskeyUserHandle, PasskeyUserHandle.user_id == Passkey.user_id)
                    .where(Passkey.credential_id == assertion.credential_id)
                )
            ).one_or_none()
        # checked after the commit so a failed attempt still uses the challenge up
        if pending is None or row is None:
            raise InvalidPasskey(WRONG_PASSKEY)
        passkey, handle = row
        # options that named an artist only sign that artist in; a returned handle must match
        wrong_artist = pending.user_id is not None and pending.user_id != passkey.user_id
        wrong_handle = assertion.user_handle is not None and assertion.user_handle != handle
        if wrong_artist or wrong_handle:
            raise InvalidPasskey(WRONG_PASSKEY)
        try:
            new_count = verify_authentication(
                self.relying_party,
                credential,
                pending.challenge,
                public_key=passkey.public_key,
                sign_count=passkey.sign_count,
            )
        except ClonedAuthenticator:
            await self._record_clone(passkey, client)
            raise
        async with self._db.transaction() as tx:
            # only if no other sign-in moved the counter since we read it
            moved = await tx.execute(
                update(Passkey)
                .where(Passkey.id == passkey.id, Passkey.sign_count == passkey.sign_count)
                .values(sign_count=new_count, last_used_at=utcnow())
            )
            user = await tx.get(User, passkey.user_id)
            if getattr(moved, "rowcount", 0) != 1 or user is None:
                raise InvalidPasskey(WRONG_PASSKEY)
            signed = await sign_in(tx, self._tokens, user, "passkey", client)
            device_key = await remember_client(tx, user.id)
            entry = record_security_event(
                tx,
                user.id,
                PASSKEY_USED,
                device_id=signed.device_id,
                ip_address=client.ip_address,
                user_agent=client.user_agent,
                details={"passkeyId": passkey.id, "name": passkey.name},
            )
            signed_in = [
                UserSignedIn(user_id=user.id, device_id=signed.device_id, login_method="passkey"),
                announcement(entry),
            ]
            await self._bus.stage_in(tx, signed_in)
        await self._bus.deliver(signed_in)
        return tokens_out(signed, device_key=device_key)

    async def passkeys(self, principal: Principal) -> list[PasskeyOut]:
        """The caller's passkeys, oldest first."""
        async with self._db.transaction() as tx:
            return [passkey_out(p) for p in await passkeys_of(tx, principal.user.id)]

    async def remove(self, principal: Principal, passkey_id: str, client: ClientInfo) -> None:
        """Remove one of the caller's passkeys; it can no longer sign in."""
        user_id = principal.user.id
        async with self._db.transaction() as tx:
            name = await tx.scalar(
                delete(Passkey)
                .where(Passkey.id == passkey_id, Passkey.user_id == user_id)
                .returning(Passkey.name)
            )
            if name is None:
                raise PasskeyNotFound("No passkey with that id.")
            entry = record_security_event(
                tx,
                user_id,
                PASSKEY_REMOVED,
                device_id=principal.device.id,
                ip_address=client.ip_address,
                user_agent=client.user_agent,
                details={"passkeyId": passkey_id, "name": name},
            )
            removed = [PasskeyRemoved(user_id=user_id, passkey_id=passkey_id), announcement(entry)]
            await self._bus.stage_in(tx, removed)
        await self._bus.deliver(removed)

    async def _record_clone(self, passkey: Passkey, client: ClientInfo) -> None:
        async with self._db.transaction() as tx:
            entry = record_security_event(
                tx,
                passkey.user_id,
                PASSKEY_COUNTER_MISMATCH,
                ip_address=client.ip_address,
                user_agent=client.user_agent,
                details={"passkeyId": passkey.id, "name": passkey.name},
            )
            mismatch = [announcement(entry)]
            await self._bus.stage_in(tx, mismatch)
        await self._bus.deliver(mismatch)


async def passkeys_for_export(tx: AsyncSession, user_id: str) -> list[dict[str, Any]]:
    """The artist's passkeys for the account export, without key material or credential ids."""
    return [
        passkey_out(p).model_dump(mode="json", by_alias=True)
        for p in await passkeys_of(tx, user_id)
    ]
