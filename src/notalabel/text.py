"""The one rule for characters in text input: no control characters (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# NUL and the other C0 controls except tab, newline and carriage return, DEL, the C1 block and
# lone surrogates: PostgreSQL refuses NUL outright and the rest only ever hide or spoof text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# single-line fields (names, ids, URLs) also refuse tab, line breaks and the Unicode separators
_CONTROL_OR_BREAK = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class ControlCharacter:
    """Where a forbidden character sits: the path inside the value and the offset in its text."""

    path: tuple[str | int, ...]
    offset: int
    char: str

    @property
    def code_point(self) -> str:
        """The character as U+XXXX."""
        return f"U+{ord(self.char):04X}"


def control_character(text: str, *, single_line: bool = False) -> int | None:
    """Offset of the first forbidden character in `text`, or None."""
    found = (_CONTROL_OR_BREAK if single_line else _CONTROL).search(text)
    return found.start() if found else None


def find_control_character(value: Any) -> ControlCharacter | None:
    """The first forbidden character in a decoded JSON value (keys included), or None."""
    for path, text in _strings(value, ()):
        offset = control_character(text)
        if offset is not None:
            return ControlCharacter(path, offset, text[offset])
    return None


def single_line_problem(text: str) -> str | None:
    """Why `text` cannot be a single-line value, or None."""
    offset = control_character(text, single_line=True)
    if offset is None:
        return None
    return f"must be one line without control characters (U+{ord(text[offset]):04X} at {offset})"


def _strings(
    value: Any, path: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield (*path, key), key
            yield from _strings(item, (*path, str(key)))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
