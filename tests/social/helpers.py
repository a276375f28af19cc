"""Shared pieces of the social graph tests: URLs, row counts and bulk artists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import func, select

from notalabel.container import Container
from notalabel.events import Event
from notalabel.identity.naming import name_key
from notalabel.social.models import Block, Follow
from notalabel.users.models import User
from notalabel.users.service import new_artist


def url(user: str, action: str) -> str:
    """/api/users/{user}/{action}."""
    return f"/api/users/{user}/{action}"


async def follow_rows(
    container: Container, *, follower: str | None = None, followee: str | None = None
) -> int:
    """COUNT(*) of follow rows, optionally narrowed to one side."""
    query = select(func.count()).select_from(Follow)
    if follower is not None:
        query = query.where(Follow.follower_id == follower)
    if followee is not None:
        query = query.where(Follow.followee_id == followee)
    async with container.db.transaction() as tx:
        return int(await tx.scalar(query) or 0)


async def block_rows(container: Container) -> int:
    """COUNT(*) of block rows."""
    async with container.db.transaction() as tx:
        return int(await tx.scalar(select(func.count()).select_from(Block)) or 0)


async def make_users(container: Container, count: int, prefix: str) -> list[User]:
    """`count` artists without sign-ins, made in one transaction (fast)."""
    users = []
    async with container.db.transaction() as tx:
        for index in range(count):
            name = f"{prefix} {index}"
            user = new_artist(
                artist_name=name,
                name_key=name_key(name),
                music_dna={},
                signature_pattern={},
                bio="",
                collaboration_openness=5,
            )
            tx.add(user)
            users.append(user)
    return users


async def add_follows(container: Container, pairs: list[tuple[str, str, datetime]]) -> None:
    """Insert (follower, followee, created_at) rows directly."""
    async with container.db.transaction() as tx:
        for follower, followee, created_at in pairs:
            tx.add(Follow(follower_id=follower, followee_id=followee, created_at=created_at))


async def walk(
    client: httpx.AsyncClient, path: str, limit: int, headers: dict[str, str] | None = None
) -> list[list[dict[str, Any]]]:
    """Every page of a list, following `nextCursor` until it is null."""
    pages: list[list[dict[str, Any]]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        response = await client.get(path, params=params, headers=headers or {})
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body["items"])
        cursor = body["nextCursor"]
        if cursor is None:
            return pages
        assert len(pages) < 50, "pagination does not terminate"


def recorder(container: Container, *types: type[Event]) -> list[Event]:
    """Collect every published event of `types`."""
    seen: list[Event] = []

    async def handler(event: Event) -> None:
        seen.append(event)

    for kind in types:
        container.bus.subscribe(kind, handler)
    return seen
