"""Community matching as a service: this process's index of every artist, kept fresh, queried.

Each process (each worker) holds its own `MatchIndex`. It is built from the database on the
first query, then kept current three ways:
- this process's own events apply at once (an artist joined, an account was deleted);
- before a query that the cache does not answer, the artists who joined since the last read
  are read (onboarding's uncached lookups do so at most every SYNC_SECONDS), so artists who
  joined through another worker are seen (the read goes back RESYNC_OVERLAP, so a join
  committed late, behind newer ones, is not missed);
- the public cards of the artists found are read from the database at each query: an account
  deleted through another worker has no card, is dropped from the index, and the query runs
  again without it.
Blocks are read at each query, so a block or unblock holds at once everywhere.

Answers are cached for an hour (cache.py); the events that change an answer make it
unreachable, and a query that misses the cache first reads every join so far, so what it
keeps is never older than the events that invalidated the last answer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy.engine import Connection

from notalabel.community.cache import MatchCache, MemoryMatchCache
from notalabel.community.exceptions import ArtistNotFound
from notalabel.community.explain import (
    collaboration_reason,
    collaboration_type,
    compatibility_reasons,
)
from notalabel.community.index import Match, MatchIndex
from notalabel.community.profile import MatchProfile, profile_of
from notalabel.community.schemas import (
    ArtistCardOut,
    CollaborationList,
    CollaborationOut,
    MatchList,
    MatchOut,
)
from notalabel.db import Database
from notalabel.events import Event
from notalabel.identity.events import IdentityCreated
from notalabel.identity.schemas import SimilarArtistOut
from notalabel.social.events import UserBlocked, UserUnblocked
from notalabel.social.service import blocked_either_way
from notalabel.users.directory import ArtistCard, read_cards, read_joined, read_music_dna
from notalabel.users.events import UserDeleted

SYNC_SECONDS = 2.0
RESYNC_OVERLAP = timedelta(minutes=1)
BUILD_PAGE = 10_000
MAX_RETRIES = 3  # queries run again when artists found were deleted meanwhile


class CommunityService:
    """Matches and collaboration suggestions for signed-in artists."""

    def __init__(
        self,
        db: Database,
        cache: MatchCache | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self._cache: MatchCache = cache if cache is not None else MemoryMatchCache()
        self._clock = clock
        self._index = MatchIndex()
        self._lock = asyncio.Lock()
        self._built = False
        self._synced_at = float("-inf")
        self._last_joined: tuple[datetime, str] | None = None

    @property
    def index(self) -> MatchIndex:
        """This process's index (for tests and the benchmark)."""
        return self._index

    async def matches(self, user_id: str, *, limit: int, min_similarity: float) -> MatchList:
        """The artists whose music is most like the caller's (cached up to an hour)."""
        cached, key = await self._cache.get(user_id, f"matches:{limit}:{min_similarity!r}")
        if cached is not None:
            return MatchList.model_validate_json(cached)
        answer = await self._matches(user_id, limit=limit, min_similarity=min_similarity)
        await self._cache.put(key, answer.model_dump_json(by_alias=True))
        return answer

    async def collaborations(self, user_id: str) -> CollaborationList:
        """Up to five artists worth collaborating with, best first (cached up to an hour)."""
        cached, key = await self._cache.get(user_id, "collaborations")
        if cached is not None:
            return CollaborationList.model_validate_json(cached)
        answer = await self._collaborations(user_id)
        await self._cache.put(key, answer.model_dump_json(by_alias=True))
        return answer

    async def _matches(self, user_id: str, *, limit: int, min_similarity: float) -> MatchList:
        me, excluded = await self._caller(user_id)

        def query() -> list[Match]:
            return self._index.matches(me, excluded, limit=limit, min_similarity=min_similarity)

        found, cards = await self._found_with_cards(query)
        return MatchList(
            items=[
                MatchOut(
                    artist=_card_out(cards[m.user_id]),
                    similarity=m.score,
                    reasons=compatibility_reasons(me, profile_of(cards[m.user_id].music_dna)),
                )
                for m in found
            ]
        )

    async def _collaborations(self, user_id: str) -> CollaborationList:
        me, excluded = await self._caller(user_id)
        found, cards = await self._found_with_cards(
            lambda: self._index.collaborations(me, excluded)
        )
        items = []
        for m in found:
            other = profile_of(cards[m.user_id].music_dna)
            kind = collaboration_type(me, other)
            if kind is None:  # cannot happen above 0.4; kept honest rather than asserted
                continue
            items.append(
                CollaborationOut(
                    artist=_card_out(cards[m.user_id]),
                    potential=m.score,
                    collaboration_type=kind,
                    reason=collaboration_reason(me, other),
                )
            )
        return CollaborationList(items=items)

    async def sounds_like(self, dna: dict[str, Any], limit: int) -> list[SimilarArtistOut]:
        """The artists closest to a DNA document (onboarding's "artists who sound like you")."""
        await self.refresh()
        me = profile_of(dna)
        found, cards = await self._found_with_cards(
            lambda: self._index.matches(me, (), limit=limit, min_similarity=0.0)
        )
        similar = []
        for m in found:
            card = _card_out(cards[m.user_id])
            similar.append(
                SimilarArtistOut(
                    id=m.user_id,
                    artist_name=card.artist_name,
                    primary_genre=card.primary_genre,
                    preferred_mood=card.preferred_mood,
                    similarity=m.score,
                    reasons=compatibility_reasons(me, profile_of(cards[m.user_id].music_dna)),
                )
            )
        return similar

    async def artist_joined(self, event: IdentityCreated) -> None:
        """Add a new artist at once (handler of IdentityCreated)."""
        await self._cache.invalidate()
        if not self._built:
            return  # the build will read them
        dna = await self._db.read(lambda conn: read_music_dna(conn, event.user_id))
        if dna is not None:
            self._index.upsert(event.user_id, profile_of(dna))

    async def artist_left(self, event: UserDeleted) -> None:
        """Take a deleted artist out at once (handler of UserDeleted)."""
        self._index.remove(event.user_id)
        await self._cache.invalidate()

    async def card_changed(self, event: Event) -> None:
        """An artist's card changed (signature, profile, name): answers showing it are stale."""
        del event  # any artist may appear in anyone's answer
        await self._cache.invalidate()

    async def block_changed(self, event: UserBlocked | UserUnblocked) -> None:
        """A block or unblock changes both artists' answers."""
        await self._cache.invalidate((event.blocker_id, event.blocked_id))

    async def refresh(self, *, now: bool = False) -> None:
        """Build the index, or read who joined since the last read if it is time (or `now`)."""
        if self._built and not now and self._clock() - self._synced_at < SYNC_SECONDS:
            return
        async with self._lock:
            if self._built and not now and self._clock() - self._synced_at < SYNC_SECONDS:
                return
            after = self._last_joined
            if after is not None:
                after = (after[0] - RESYNC_OVERLAP, "")
            while True:
                page = await self._db.read(partial(read_joined, after=after, limit=BUILD_PAGE))
                for artist in page:
                    self._index.upsert(artist.id, profile_of(artist.music_dna))
                if page:
                    after = (page[-1].joined_at, page[-1].id)
                    if self._last_joined is None or after > self._last_joined:
                        self._last_joined = after
                if len(page) < BUILD_PAGE:
                    break
            self._built = True
            self._synced_at = self._clock()

    async def _caller(self, user_id: str) -> tuple[MatchProfile, set[str]]:
        def read(conn: Connection) -> tuple[dict[str, object] | None, set[str]]:
            return read_music_dna(conn, user_id), blocked_either_way(conn, user_id)

        dna, blocked = await self._db.read(read)
        if dna is None:
            raise ArtistNotFound("No artist with that id.")
        # this answer may be kept: it must know every artist who joined before it
        await self.refresh(now=True)
        return profile_of(dna), {user_id, *blocked}

    async def _found_with_cards(
        self, query: Callable[[], list[Match]]
    ) -> tuple[list[Match], dict[str, ArtistCard]]:
        for _ in range(MAX_RETRIES):
            found = query()
            ids = [m.user_id for m in found]
            cards = await self._db.read(partial(read_cards, ids=ids))
            gone = [i for i in ids if i not in cards]
            if not gone:
                return found, cards
            for user_id in gone:
                self._index.remove(user_id)
        found = [m for m in query() if m.user_id in cards]
        return found, cards


def _card_out(card: ArtistCard) -> ArtistCardOut:
    dna = card.music_dna
    genre, mood = dna.get("primaryGenre"), dna.get("preferredMood")
    return ArtistCardOut(
        id=card.id,
        artist_name=card.artist_name,
        avatar=card.avatar,
        bio=card.bio,
        primary_genre=genre if isinstance(genre, str) else None,
        preferred_mood=mood if isinstance(mood, str) else None,
        signature_pattern=card.signature_pattern,
    )
