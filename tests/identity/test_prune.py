"""Expired onboarding sessions are deleted; live and completed ones stay."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import httpx
from sqlalchemy import select, update

from notalabel.app import prune_sessions_forever
from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.identity.models import IdentitySession
from tests.identity.factories import onboard, start


async def expire(container: Container, session_id: str) -> None:
    async with container.db.transaction() as tx:
        await tx.execute(
            update(IdentitySession)
            .where(IdentitySession.id == session_id)
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )


async def remaining(container: Container) -> set[str]:
    async with container.db.transaction() as tx:
        return set(await tx.scalars(select(IdentitySession.id)))


async def test_prune_removes_only_expired_unfinished_sessions(
    client: httpx.AsyncClient, container: Container
) -> None:
    live = await start(client)
    stale = await start(client)
    done = await onboard(client, "Finisher")
    await expire(container, stale)
    async with container.db.transaction() as tx:
        completed = await tx.scalar(
            select(IdentitySession.id).where(IdentitySession.user_id == done["user"]["id"])
        )
    assert completed is not None
    await expire(container, completed)

    assert await container.identity.prune_expired() == 1
    assert await remaining(container) == {live, completed}
    assert await container.identity.prune_expired() == 0


async def test_background_pruner_runs_and_survives_errors(container: Container) -> None:
    calls = 0
    real = container.identity.prune_expired

    async def flaky() -> int:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("database hiccup")
        return await real()

    container.identity.prune_expired = flaky  # type: ignore[method-assign]
    task = asyncio.create_task(prune_sessions_forever(container, 0.01))
    await asyncio.sleep(0.2)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert calls >= 2
