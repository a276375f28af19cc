"""What can go wrong in discovery: a cursor or search that cannot be used."""

from __future__ import annotations

from notalabel.errors import InvalidInput


class InvalidCursor(InvalidInput):
    """The cursor is not one of ours, or belongs to another feed."""

    code = "invalid_cursor"


class InvalidSearch(InvalidInput):
    """The search words or filters cannot be used."""

    code = "invalid_search"


CURSOR_MESSAGE = "That cursor is not valid for this list; start again from the first page."
