"""The message bus: handlers run, failures are logged and counted, never hidden."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest

from notalabel.events import HANDLER_FAILURES, Event, MessageBus


@dataclass(frozen=True, kw_only=True)
class SomethingHappened(Event):
    value: int


async def test_handlers_receive_their_events() -> None:
    bus = MessageBus()
    seen: list[int] = []

    async def remember(event: SomethingHappened) -> None:
        seen.append(event.value)

    bus.subscribe(SomethingHappened, remember)
    await bus.publish([SomethingHappened(value=1), SomethingHappened(value=2)])
    assert seen == [1, 2]


async def test_failing_handler_is_logged_counted_and_others_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus = MessageBus()
    seen: list[int] = []

    async def explode(_: SomethingHappened) -> None:
        raise RuntimeError("boom")

    async def remember(event: SomethingHappened) -> None:
        seen.append(event.value)

    bus.subscribe(SomethingHappened, explode)
    bus.subscribe(SomethingHappened, remember)
    before = HANDLER_FAILURES.labels("SomethingHappened")._value.get()
    with caplog.at_level(logging.ERROR):
        await bus.publish([SomethingHappened(value=7)])
    assert seen == [7]
    assert HANDLER_FAILURES.labels("SomethingHappened")._value.get() == before + 1
    assert any("event handler failed" in r.message and r.exc_info for r in caplog.records)


def test_events_are_frozen_and_serialise() -> None:
    event = SomethingHappened(value=3)
    with pytest.raises(AttributeError):
        event.value = 4  # type: ignore[misc]
    body = event.to_json()
    assert body["event"] == "SomethingHappened"
    assert body["data"]["value"] == 3
