"""Discovery as a service: each feed page or search is one read-only unit of work."""

from __future__ import annotations

from notalabel.db import Database
from notalabel.discovery.exceptions import InvalidSearch
from notalabel.discovery.feeds import Feed, Filters, feed_page
from notalabel.discovery.near_words import NearWords
from notalabel.discovery.schemas import FeedPage
from notalabel.discovery.search import MAX_QUERY_LENGTH, search_page, trigram_schema_of, words_of
from notalabel.errors import Unauthorized
from notalabel.patterns.schemas import normalize_tag
from notalabel.security import NO_TOKEN

_UNSET = object()


class DiscoveryService:
    """Reads the feeds and search; writes nothing (triggers keep its columns, see 0008)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._trigram_schema: object = _UNSET
        self._near_words = NearWords()

    async def feed(
        self,
        feed: Feed,
        viewer_id: str | None,
        *,
        genre: str | None = None,
        mood: str | None = None,
        tag: str | None = None,
        limit: int = 20,
        cursor: str | None = None,
    ) -> FeedPage:
        """One page of `feed`; `following` needs a signed-in viewer."""
        if feed is Feed.FOLLOWING and viewer_id is None:
            raise Unauthorized(NO_TOKEN)
        filters = Filters(genre=genre, mood=mood, tag=_tag(tag))
        return await self._db.read(
            lambda conn: feed_page(conn, feed, viewer_id, filters, limit=limit, after=cursor)
        )

    async def search(
        self, query: str, viewer_id: str | None, *, limit: int = 20, cursor: str | None = None
    ) -> FeedPage:
        """Public patterns matching the words of `query`, most relevant first."""
        if not query.strip():
            raise InvalidSearch("Type at least one word to search for.")
        if len(query) > MAX_QUERY_LENGTH:
            raise InvalidSearch(f"A search is at most {MAX_QUERY_LENGTH} characters.")
        words = words_of(query)
        schema = await self._trigram()
        return await self._db.read(
            lambda conn: search_page(
                conn,
                words,
                viewer_id,
                trigram_schema=schema,
                near_words=self._near_words,
                limit=limit,
                after=cursor,
            )
        )

    async def _trigram(self) -> str | None:
        # looked up once: the extension does not move while the service runs
        if self._trigram_schema is _UNSET:
            self._trigram_schema = await self._db.read(trigram_schema_of)
        schema = self._trigram_schema
        return schema if isinstance(schema, str) else None


def _tag(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        return normalize_tag(raw)
    except ValueError as exc:
        raise InvalidSearch(str(exc)) from exc
