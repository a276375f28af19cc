"""Tokenizing and typo correction shared by every text reader in this package."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from notalabel.engine.language.common_words import COMMON_WORDS

# Apostrophes vanish so "don't" -> "dont" and "drum'n'bass" -> "drumnbass"; hyphens split words so
# "lo-fi" and "k-pop" read like "lo fi" and "k pop". Any other symbol (emoji) stays as a token.
_APOSTROPHES = re.compile(r"['’`´]")
_TOKEN = re.compile(r"[a-z0-9]+|[&.,!?;:]|[^\sa-z0-9\-_/()\"\[\]{}*#@~+=<>|\\^%$'’]")
_VARIATION_SELECTORS = str.maketrans("", "", "\ufe0f\ufe0e\u200d")

BREAK_TOKENS = frozenset({".", ",", "!", "?", ";", ":"})


def fold(text: str) -> str:
    """Lowercase text and strip accents ("Reggaetón" -> "reggaeton")."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_VARIATION_SELECTORS)


def tokenize(text: str) -> list[str]:
    """Split text into lowercase word, punctuation and emoji tokens."""
    return _TOKEN.findall(_APOSTROPHES.sub("", fold(text)))


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a swap costs 1); limit + 1 once it is beyond limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, previous2[j - 2] + 1)
            current[j] = best
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class Corrector:
    """Fixes plurals and small typos against a vocabulary, with a per-token cache.

    Words that only occur inside longer phrases ("hop" in "hip hop", "trips" in "road trips") are
    accepted as corrections only when a neighbouring token completes such a phrase, so "hip hopp"
    is fixed while "piano trios" is left alone.
    """

    def __init__(
        self,
        vocabulary: Iterable[str],
        single_words: Iterable[str],
        pairs: Iterable[tuple[str, str]],
        cache_size: int = 4096,
    ) -> None:
        ordered = list(dict.fromkeys(w for w in vocabulary if w.isalpha() and len(w) >= 3))
        self._known = frozenset(ordered)
        self._singles = frozenset(single_words)
        self._pairs = frozenset(pairs)
        self._by_initial: dict[str, list[str]] = {}
        for word in ordered:
            self._by_initial.setdefault(word[0], []).append(word)
        self.best = lru_cache(maxsize=cache_size)(self._best)

    def _best(self, token: str) -> str:
        if token in self._known or len(token) < 4 or not token.isalpha() or token in COMMON_WORDS:
            return token
        if token.endswith("s") and token[:-1] in self._known:
            return token[:-1]
        # Long words tolerate two slips, short words one ("have" must not become "wave"); a
        # different first letter is rarely a typo and usually another word ("bunny" vs "sunny").
        limit = 2 if len(token) >= 8 else 1
        best, best_distance = token, limit + 1
        for word in self._by_initial.get(token[0], ()):
            if abs(len(word) - len(token)) > limit:
                continue
            distance = edit_distance(token, word, limit)
            if distance < best_distance:
                best, best_distance = word, distance
        return best

    def __call__(self, tokens: list[str]) -> list[str]:
        """Return tokens with corrections applied where the vocabulary supports them."""
        best = self.best
        fixed = [best(t) for t in tokens]
        for i, word in enumerate(fixed):
            if word == tokens[i] or word in self._singles:
                continue
            before = fixed[i - 1] if i else ""
            after = fixed[i + 1] if i + 1 < len(fixed) else ""
            if (before, word) not in self._pairs and (word, after) not in self._pairs:
                fixed[i] = tokens[i]
        return fixed
