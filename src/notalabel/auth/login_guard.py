"""Lockout state in the database: known clients (device keys) and per-client failure counts."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.auth.lockout import LoginClient, account_failures, lock_duration, login_client
from notalabel.auth.models import KnownClient, LoginLock
from notalabel.auth.security_log import ACCOUNT_LOCKED, SecurityEvent, record_security_event
from notalabel.config import Settings
from notalabel.db import utcnow
from notalabel.security import hash_token
from notalabel.users.models import User
from notalabel.users.service import ClientInfo


@dataclass(frozen=True, slots=True)
class ClientState:
    """A login client and the lock that applies to it right now."""

    client: LoginClient
    client_locked_until: datetime | None


async def client_state(
    tx: AsyncSession, user_id: str, device_key: str | None, ip_address: str
) -> ClientState:
    """Resolve the caller to its known device (when the key matches) or IP, with its lock."""
    known_id = None
    if device_key:
        known_id = await tx.scalar(
            select(KnownClient.id).where(
                KnownClient.key_hash == hash_token(device_key), KnownClient.user_id == user_id
            )
        )
    client = login_client(known_id, ip_address)
    locked_until = await tx.scalar(
        select(LoginLock.locked_until).where(
            LoginLock.user_id == user_id, LoginLock.client_key == client.key
        )
    )
    return ClientState(client, locked_until)


async def remember_client(tx: AsyncSession, user_id: str, device_key: str | None = None) -> str:
    """The device key this client keeps: the presented one if it is known, else a new one."""
    now = utcnow()
    if device_key:
        result = await tx.execute(
            update(KnownClient)
            .where(KnownClient.key_hash == hash_token(device_key), KnownClient.user_id == user_id)
            .values(last_used_at=now)
        )
        if getattr(result, "rowcount", 0) == 1:
            return device_key
    return await tx.run_sync(lambda session: new_known_client(session.connection(), user_id))


def new_known_client(conn: Connection, user_id: str) -> str:
    """A new device key this client keeps (Core, inside `Database.run`)."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    conn.execute(
        insert(KnownClient),
        [
            {
                "id": f"kc_{uuid.uuid4().hex}",
                "user_id": user_id,
                "key_hash": hash_token(key),
                "created_at": now,
                "last_used_at": now,
            }
        ],
    )
    return key


async def clear_client_failures(tx: AsyncSession, user_id: str, client: LoginClient) -> None:
    """A successful sign-in ends that client's run of failures (not the account-wide count)."""
    await tx.execute(
        delete(LoginLock).where(LoginLock.user_id == user_id, LoginLock.client_key == client.key)
    )


async def count_failure(
    tx: AsyncSession,
    settings: Settings,
    user_id: str,
    client: LoginClient,
    info: ClientInfo,
    *,
    is_sqlite: bool,
) -> list[SecurityEvent]:
    """Count one failure for the (account, client) pair and the account; lock past thresholds.

    Returns the `account_locked` log entries it added, to announce after commit.
    """
    now = utcnow()
    locks: list[SecurityEvent] = []
    insert = sqlite_insert if is_sqlite else pg_insert
    upsert = insert(LoginLock).values(
        user_id=user_id, client_key=client.key, failures=1, locked_until=None, updated_at=now
    )
    failures = await tx.scalar(
        upsert.on_conflict_do_update(
            index_elements=[LoginLock.user_id, LoginLock.client_key],
            set_={"failures": LoginLock.failures + 1, "updated_at": now},
        ).returning(LoginLock.failures)
    )
    duration = lock_duration(
        int(failures or 0),
        threshold=settings.login_lockout_threshold,
        base_seconds=settings.login_lockout_base_seconds,
        max_seconds=settings.login_lockout_max_seconds,
    )
    if duration is not None:
        await tx.execute(
            update(LoginLock)
            .where(LoginLock.user_id == user_id, LoginLock.client_key == client.key)
            .values(locked_until=now + duration)
        )
        locks.append(
            _log_lock(tx, user_id, info, scope="client", client=client, until=now + duration)
        )
    if not client.known:
        entry = await _count_account_failure(tx, settings, user_id, info, now)
        if entry is not None:
            locks.append(entry)
    return locks


async def _count_account_failure(
    tx: AsyncSession, settings: Settings, user_id: str, info: ClientInfo, now: datetime
) -> SecurityEvent | None:
    user = await tx.get(User, user_id, with_for_update=True)
    if user is None:
        return None
    count = account_failures(user.login_window_started_at, user.failed_logins, now)
    if count == 1:
        user.login_window_started_at = now
    user.failed_logins = count
    if count >= settings.login_account_threshold:
        duration = timedelta(seconds=settings.login_account_lock_seconds)
        user.login_locked_until = now + duration
        # the next lock needs a whole new run of failures past the threshold
        user.failed_logins = 0
        user.login_window_started_at = now
        return _log_lock(tx, user_id, info, scope="account", client=None, until=now + duration)
    return None


def _log_lock(
    tx: AsyncSession,
    user_id: str,
    info: ClientInfo,
    *,
    scope: str,
    client: LoginClient | None,
    until: datetime,
) -> SecurityEvent:
    # scope "client": only this (account, client) pair; "account": every unknown client
    details: dict[str, object] = {"scope": scope, "until": until.isoformat()}
    if client is not None:
        details["client"] = "known_device" if client.known else "ip"
    return record_security_event(
        tx,
        user_id,
        ACCOUNT_LOCKED,
        ip_address=info.ip_address,
        user_agent=info.user_agent,
        details=details,
    )
