"""Longest-match lookup of multi-word phrases in a token list."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from notalabel.engine.language.normalize import tokenize

T = TypeVar("T")


def alternatives(text: str) -> tuple[str, ...]:
    """Split a "a|b|c" table cell into its phrases."""
    return tuple(text.split("|"))


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    """One phrase found at tokens[start:end]."""

    start: int
    end: int
    value: T


class PhraseTable(Generic[T]):
    """Phrases compiled once at import; scanning costs one dict lookup per token."""

    __slots__ = ("_by_first", "pairs", "single_words", "words")

    def __init__(self, entries: Iterable[tuple[str, T]]) -> None:
        by_first: dict[str, list[tuple[tuple[str, ...], T]]] = {}
        words: dict[str, None] = {}
        singles: set[str] = set()
        pairs: set[tuple[str, str]] = set()
        for phrase, value in entries:
            tokens = tuple(tokenize(phrase))
            if not tokens:
                continue
            words.update(dict.fromkeys(tokens))
            if len(tokens) == 1:
                singles.add(tokens[0])
            pairs.update(itertools.pairwise(tokens))
            by_first.setdefault(tokens[0], []).append((tokens, value))
        for candidates in by_first.values():
            # Longest first so "lo fi hip hop" wins over "lo fi" and "hip hop".
            candidates.sort(key=lambda item: -len(item[0]))
        self._by_first = by_first
        # Words in entry order, so earlier tables (genres) win typo-correction ties.
        self.words: tuple[str, ...] = tuple(words)
        self.single_words: frozenset[str] = frozenset(singles)
        self.pairs: frozenset[tuple[str, str]] = frozenset(pairs)

    def entries(self) -> Iterator[tuple[str, T]]:
        """Yield (phrase, value) pairs in table order."""
        for candidates in self._by_first.values():
            for tokens, value in candidates:
                yield " ".join(tokens), value

    def scan(self, tokens: Sequence[str]) -> Iterator[Match[T]]:
        """Yield non-overlapping longest matches from left to right."""
        by_first = self._by_first
        i, count = 0, len(tokens)
        while i < count:
            candidates = by_first.get(tokens[i])
            if candidates is not None:
                for phrase, value in candidates:
                    end = i + len(phrase)
                    if end <= count and (len(phrase) == 1 or tuple(tokens[i:end]) == phrase):
                        yield Match(i, end, value)
                        i = end
                        break
                else:
                    i += 1
            else:
                i += 1


def merge_entries(entries: Iterable[tuple[str, T]]) -> dict[str, list[T]]:
    """Group values by normalized phrase so one phrase can carry several meanings."""
    grouped: dict[str, list[T]] = {}
    for phrase, value in entries:
        grouped.setdefault(" ".join(tokenize(phrase)), []).append(value)
    return grouped
