"""The memory of near words: one lookup per word per minute, bounded, expiring."""

from __future__ import annotations

from typing import Any

import pytest

from notalabel.discovery import near_words
from notalabel.discovery.near_words import NearWords

STORED = {"ambiemt": ["ambient"], "sunsett": ["sunset", "sunsets"]}


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every lookup's words, answered from STORED instead of PostgreSQL."""
    seen: list[list[str]] = []

    def look_up(conn: Any, words: list[str], schema: str) -> dict[str, list[str]]:
        assert (conn, schema) == ("conn", "public")
        seen.append(list(words))
        return {w: STORED[w] for w in words if w in STORED}

    monkeypatch.setattr(near_words, "look_up", look_up)
    return seen


def test_a_word_is_looked_up_once_within_the_minute(lookups: list[list[str]]) -> None:
    clock = Clock()
    memory = NearWords(seconds=60, clock=clock)
    first = memory.of("conn", ["ambiemt", "drums"], "public")  # type: ignore[arg-type]
    clock.now += 59.9
    again = memory.of("conn", ["drums", "ambiemt"], "public")  # type: ignore[arg-type]
    assert first == again == {"ambiemt": ["ambient"]}
    # a word without near words is remembered too: no lookup for "drums" the second time
    assert lookups == [["ambiemt", "drums"]]


def test_after_the_minute_the_word_is_looked_up_again(lookups: list[list[str]]) -> None:
    clock = Clock()
    memory = NearWords(seconds=60, clock=clock)
    memory.of("conn", ["ambiemt"], "public")  # type: ignore[arg-type]
    clock.now += 60
    later = memory.of("conn", ["ambiemt", "sunsett"], "public")  # type: ignore[arg-type]
    assert later == {"ambiemt": ["ambient"], "sunsett": ["sunset", "sunsets"]}
    assert lookups == [["ambiemt"], ["ambiemt", "sunsett"]]


def test_only_words_worth_a_typo_are_looked_up(lookups: list[list[str]]) -> None:
    memory = NearWords(clock=Clock())
    assert memory.of("conn", ["lo", "fi", "808", "2024"], "public") == {}  # type: ignore[arg-type]
    assert lookups == []


def test_the_oldest_word_is_forgotten_first(lookups: list[list[str]]) -> None:
    memory = NearWords(kept=2, clock=Clock())
    for word in ("ambiemt", "sunsett", "basss"):
        memory.of("conn", [word], "public")  # type: ignore[arg-type]
    memory.of("conn", ["sunsett", "basss", "ambiemt"], "public")  # type: ignore[arg-type]
    assert lookups == [["ambiemt"], ["sunsett"], ["basss"], ["ambiemt"]]
