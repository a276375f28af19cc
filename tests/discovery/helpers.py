"""Walking a paginated feed or search over HTTP."""

from __future__ import annotations

from typing import Any

import httpx


async def ids(
    client: httpx.AsyncClient,
    path: str,
    headers: dict[str, str] | None = None,
    **params: Any,
) -> list[str]:
    """The ids of one page."""
    response = await client.get(path, params=params, headers=headers or {})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def every_page(
    client: httpx.AsyncClient,
    path: str,
    headers: dict[str, str] | None = None,
    *,
    limit: int,
    **params: Any,
) -> tuple[list[str], int]:
    """All ids, following nextCursor, and how many pages it took."""
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        query = {**params, "limit": limit} | ({"cursor": cursor} if cursor else {})
        response = await client.get(path, params=query, headers=headers or {})
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["items"]) <= limit
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["nextCursor"]
        if cursor is None:
            return seen, pages
        assert pages < 50, "the cursor never ends"
