"""Domain events: past-tense frozen dataclasses, stored as JSON and rebuilt by name."""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, ClassVar

from notalabel.db import utcnow


class UnknownEvent(LookupError):
    """A stored event names a type this code does not define."""


@dataclass(frozen=True, kw_only=True)
class Event:
    """Something that happened; names are in the past tense."""

    occurred_at: datetime = dataclasses.field(default_factory=utcnow)

    _types: ClassVar[dict[str, type[Event]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        Event._types[cls.__name__] = cls

    @property
    def name(self) -> str:
        """The event's type name, e.g. IdentityCreated."""
        return type(self).__name__

    def to_json(self) -> dict[str, Any]:
        """A JSON document for storage and other processes: {"event": name, "data": fields}."""
        body = dataclasses.asdict(self)
        body["occurred_at"] = self.occurred_at.isoformat()
        return {"event": self.name, "data": body}


def event_from_json(name: str, data: dict[str, Any]) -> Event:
    """The event `to_json` described, with its datetimes and tuples restored."""
    kind = Event._types.get(name)
    if kind is None:
        raise UnknownEvent(name)
    hints = _hints(kind.__name__)
    values = {
        field.name: _restore(hints[field.name], data[field.name])
        for field in dataclasses.fields(kind)
        if field.name in data
    }
    return kind(**values)


@cache
def _hints(name: str) -> dict[str, Any]:
    return typing.get_type_hints(Event._types[name])


def _restore(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _restore(options[0], value) if len(options) == 1 else value
    if hint is datetime:
        return datetime.fromisoformat(value)
    if origin is tuple:
        args = typing.get_args(hint)
        inner = args[0] if args else Any
        return tuple(_restore(inner, item) for item in value)
    return value
