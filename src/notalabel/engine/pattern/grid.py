"""Step grids (16 sixteenths per bar) and their compact mini-notation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from math import gcd

REST = "~"
HOLD = "_"
_QUIET = (REST, HOLD)


def tokens(grid: str, sounds: Mapping[str, str]) -> list[str]:
    """Turn a grid such as "x..x" into mini tokens; unknown characters are rests."""
    return [sounds.get(ch, REST) for ch in grid]


def beat(group: Sequence[str]) -> str:
    """Write one beat of sixteenths as short mini-notation, e.g. [bd ~ bd ~] -> [bd bd]."""
    first, second, third, fourth = group
    if second == third == fourth and second in _QUIET:
        # a lone downbeat (or a held note) fills the whole beat
        return first
    if first == second == third == fourth and first not in _QUIET:
        return f"{first}*4"
    if second == fourth and second in _QUIET:
        return f"[{first} {third}]"
    return f"[{first} {second} {third} {fourth}]"


def bar(steps: Sequence[str]) -> str:
    """Write a bar of 16 tokens as four beats, folding four equal beats into `beat*4`."""
    beats = [beat(steps[i : i + 4]) for i in range(0, len(steps), 4)]
    first = beats[0]
    if len(beats) == 4 and first == beats[1] == beats[2] == beats[3] and first != REST:
        if first.endswith("*4") and first.count("*") == 1 and " " not in first:
            return first[:-1] + "16"
        return f"{first}*4" if "*" not in first else f"[{first}]*4"
    return " ".join(beats)


def weighted(steps: Sequence[str]) -> str:
    """Write a bar with held notes as weights, e.g. [0 _ _ ~] -> "0@3 ~"; exact in time."""
    names: list[str] = []
    counts: list[int] = []
    for token in steps:
        extends_note = token == HOLD and names and names[-1] != REST
        extends_rest = token in _QUIET and names and names[-1] == REST
        if extends_note or extends_rest:
            counts[-1] += 1
        else:
            # a hold with nothing sounding before it in this bar is silence
            names.append(REST if token == HOLD else token)
            counts.append(1)
    unit = gcd(*counts)
    return " ".join(
        f"{t}@{n // unit}" if n > unit else t for t, n in zip(names, counts, strict=True)
    )


def bars(written: Sequence[str]) -> str:
    """Chain bars one per cycle with `<...>`, writing repeats as `!n`; one bar stays bare."""
    return _bars(tuple(written))


@lru_cache(maxsize=16384)
def _bars(written: tuple[str, ...]) -> str:
    if len(set(written)) == 1:
        return written[0]
    parts: list[str] = []
    count = 0
    previous = ""
    for current in written:
        if current == previous:
            count += 1
            continue
        if count:
            parts.append(_repeat(previous, count))
        previous, count = current, 1
    parts.append(_repeat(previous, count))
    return "<" + " ".join(parts) + ">"


def _repeat(written: str, count: int) -> str:
    single = written if " " not in written else f"[{written}]"
    return single if count == 1 else f"{single}!{count}"


@lru_cache(maxsize=16384)
def grid_bar(pattern: str, sounds: tuple[tuple[str, str], ...]) -> str:
    """`bar(tokens(...))`, memoised: the same few grids recur in almost every build."""
    return bar(tokens(pattern, dict(sounds)))


def has_hit(grid: str) -> bool:
    """True when the grid has at least one onset."""
    return any(ch not in ".-_" for ch in grid)
