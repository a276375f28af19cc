"""Capture every log line as the service writes it (JSON, request id, secrets scrubbed)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from notalabel.observability import JsonFormatter


class JsonLines(logging.Handler):
    """Formats each record as it is emitted, while the request id is still set."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the formatted line."""
        self.lines.append(self.format(record))

    @property
    def records(self) -> list[dict[str, Any]]:
        """The lines, parsed."""
        return [json.loads(line) for line in self.lines]

    @property
    def text(self) -> str:
        """Everything written, as one string."""
        return "\n".join(self.lines)


@contextmanager
def captured_logs(*debug_loggers: str) -> Iterator[JsonLines]:
    """Every record of every logger at DEBUG (and `debug_loggers` forced to DEBUG too)."""
    handler = JsonLines()
    root = logging.getLogger()
    forced = [logging.getLogger(name) for name in debug_loggers]
    saved = (root.level, [logger.level for logger in forced])
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for logger in forced:
        logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(saved[0])
        for logger, level in zip(forced, saved[1], strict=True):
            logger.setLevel(level)
