"""Cached answers: kept an hour, unreachable after any event that changes them."""

from __future__ import annotations

from typing import Any

import pytest
from redis.asyncio import Redis

from notalabel.community.cache import MEMORY_ENTRIES, MemoryMatchCache, RedisMatchCache
from notalabel.container import Container
from notalabel.events import Event
from notalabel.patterns.events import SignaturePatternChanged
from notalabel.social.events import UserBlocked, UserUnblocked
from notalabel.users.events import ArtistRenamed, ProfileUpdated, UserDeleted
from tests.community.test_api import artist, dna, joined
from tests.outbox import announce
from tests.users.factories import make_artist


async def test_memory_cache_keeps_an_answer_for_an_hour() -> None:
    clock = [0.0]
    cache = MemoryMatchCache(clock=lambda: clock[0])
    missing, key = await cache.get("usr_a", "matches")
    assert missing is None
    await cache.put(key, "answer")
    assert (await cache.get("usr_a", "matches"))[0] == "answer"
    assert (await cache.get("usr_b", "matches"))[0] is None
    clock[0] += 3599
    assert (await cache.get("usr_a", "matches"))[0] == "answer"
    clock[0] += 1
    assert (await cache.get("usr_a", "matches"))[0] is None


async def test_memory_cache_invalidates_one_artist_or_everyone() -> None:
    cache = MemoryMatchCache()
    for user in ("usr_a", "usr_b"):
        await cache.put((await cache.get(user, "q"))[1], user)
    await cache.invalidate(("usr_a",))
    assert (await cache.get("usr_a", "q"))[0] is None
    assert (await cache.get("usr_b", "q"))[0] == "usr_b"
    await cache.invalidate()
    assert (await cache.get("usr_b", "q"))[0] is None


async def test_an_answer_computed_across_an_invalidation_is_not_kept_reachable() -> None:
    cache = MemoryMatchCache()
    _, key = await cache.get("usr_a", "q")  # the query starts
    await cache.invalidate()  # an artist joins meanwhile
    await cache.put(key, "stale")  # the query ends
    assert (await cache.get("usr_a", "q"))[0] is None


async def test_memory_cache_is_bounded() -> None:
    cache = MemoryMatchCache()
    for i in range(MEMORY_ENTRIES + 5):
        await cache.put((await cache.get(f"usr_{i}", "q"))[1], "x")
    assert (await cache.get("usr_0", "q"))[0] is None
    assert (await cache.get(f"usr_{MEMORY_ENTRIES + 4}", "q"))[0] == "x"


async def test_redis_cache_shares_answers_and_generations(container: Container) -> None:
    if container.redis is None:
        pytest.skip("Redis: set NAL_TEST_REDIS_URL (CI runs this against a real server)")
    one, two = RedisMatchCache(container.redis), RedisMatchCache(container.redis)
    user = f"usr_{id(one):x}"
    _, key = await one.get(user, "q")
    await one.put(key, "answer")
    assert (await two.get(user, "q"))[0] == "answer"
    assert 3590 <= await container.redis.ttl(key) <= 3600
    await two.invalidate((user,))
    assert (await one.get(user, "q"))[0] is None
    _, key = await one.get(user, "q")
    await one.put(key, "again")
    await one.invalidate()
    assert (await two.get(user, "q"))[0] is None


async def test_with_redis_down_queries_are_computed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    down = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    cache = RedisMatchCache(down)
    found, key = await cache.get("usr_a", "q")
    assert (found, key) == (None, "")
    await cache.put(key, "answer")  # nothing to keep, nothing raised
    assert "match cache unavailable" in caplog.text
    with pytest.raises(Exception):  # noqa: B017, PT011 (the bus logs and counts it)
        await cache.invalidate()
    await down.aclose()


EVENTS: dict[str, Any] = {
    "a new artist": lambda a, b: None,  # made in the test itself
    "a deletion": lambda a, b: UserDeleted(user_id=b),
    "a block": lambda a, b: UserBlocked(blocker_id=b, blocked_id=a),
    "an unblock": lambda a, b: UserUnblocked(blocker_id=a, blocked_id=b),
    "a new signature": lambda a, b: SignaturePatternChanged(
        user_id=b, pattern_id="pat_x", previous_pattern_id=None, genre="lo-fi", mood="chill"
    ),
    "a profile edit": lambda a, b: ProfileUpdated(user_id=b, fields=("bio",)),
    "a rename": lambda a, b: ArtistRenamed(user_id=b, old_name="Bo Waves", new_name="Bo W"),
}


@pytest.mark.parametrize("happening", list(EVENTS))
async def test_each_event_that_changes_an_answer_makes_the_next_query_recompute(
    container: Container, monkeypatch: pytest.MonkeyPatch, happening: str
) -> None:
    me = await artist(container, "Ana Beats", dna("lo-fi", "chill"))
    other = await artist(container, "Bo Waves", dna("lo-fi", "chill"))
    service = container.community
    computed: list[str] = []
    for name in ("_matches", "_collaborations"):
        original = getattr(service, name)

        async def counting(*args: Any, _original: Any = original, _name: str = name,
                           **kwargs: Any) -> Any:  # fmt: skip
            computed.append(_name)
            return await _original(*args, **kwargs)

        monkeypatch.setattr(service, name, counting)

    async def ask_both() -> None:
        await service.matches(me.user.id, limit=10, min_similarity=0.3)
        await service.collaborations(me.user.id)

    await ask_both()
    await ask_both()
    assert computed == ["_matches", "_collaborations"]  # the second time from the cache

    if happening == "a new artist":
        newcomer = await make_artist(container, "Cy Drums", music_dna=dna("lo-fi", "chill"))
        event: Event = joined(newcomer, "Cy Drums")
    else:
        event = EVENTS[happening](me.user.id, other.user.id)
    await announce(container, [event])
    await ask_both()
    assert computed == ["_matches", "_collaborations"] * 2
