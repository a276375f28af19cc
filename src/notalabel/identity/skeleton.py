"""Unicode data for artist names: confusable skeletons (UTS #39) and scripts (pure lookups).

The tables ship with the `confusable-homoglyphs` package (Unicode's confusables.txt and
Scripts.txt as JSON); they are read once, on first use.
"""

from __future__ import annotations

import bisect
import json
import unicodedata
from functools import cache
from importlib.resources import files
from typing import Any

COMMON = "COMMON"
INHERITED = "INHERITED"
UNKNOWN = "UNKNOWN"
_DATA_PACKAGE = "confusable_homoglyphs"
# the JSON wraps right-to-left characters in LEFT-TO-RIGHT MARKs for display
_LRM = "\u200e"


def skeleton(text: str) -> str:
    """UTS #39 skeleton: NFD, each character to its confusable prototype, NFD again."""
    table = _prototypes()
    mapped = "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFD", mapped)


def script(char: str) -> str:
    """The Unicode script of one character, e.g. LATIN, CYRILLIC, COMMON or INHERITED."""
    starts, ends, names = _scripts()
    index = bisect.bisect_right(starts, ord(char)) - 1
    if index < 0 or ord(char) > ends[index]:
        return UNKNOWN
    return names[index]


def load_tables() -> None:
    """Read the Unicode tables now (about 0.2 s), so no artist's naming step waits for it."""
    _prototypes()
    _scripts()


def _load(name: str) -> Any:
    return json.loads(files(_DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8"))


@cache
def _prototypes() -> dict[str, str]:
    """source character → prototype, rebuilt from the package's two-way confusables table.

    The table lists, for a source, its one prototype and, for a prototype, all its sources.
    Where a prototype has a single source the two entries mirror each other and the direction
    is lost; mapping both to the smaller one keeps exactly the same classes, which is all a
    uniqueness key needs.
    """
    raw: dict[str, list[dict[str, str]]] = _load("confusables.json")
    table = {
        key.replace(_LRM, ""): [entry["c"].replace(_LRM, "") for entry in entries]
        for key, entries in raw.items()
    }
    result: dict[str, str] = {}
    for key, glyphs in table.items():
        # sources are single code points; a key with several glyphs is a prototype
        if len(key) != 1 or len(glyphs) != 1 or not glyphs[0]:
            continue
        target = glyphs[0]
        mirrored = len(target) == 1 and table.get(target) == [key]
        if not mirrored or target < key:
            result[key] = target
    return result


@cache
def _scripts() -> tuple[list[int], list[int], list[str]]:
    data = _load("categories.json")
    aliases: list[str] = data["iso_15924_aliases"]
    ranges: list[list[int]] = data["code_points_ranges"]
    return (
        [start for start, _, _, _ in ranges],
        [end for _, end, _, _ in ranges],
        [aliases[alias] for _, _, alias, _ in ranges],
    )
