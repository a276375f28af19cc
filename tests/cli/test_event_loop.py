"""Which event loop `notalabel serve` runs on."""

from __future__ import annotations

import pytest

from notalabel import serving


def test_postgresql_is_served_on_uvloop() -> None:
    assert serving.event_loop_for("postgresql+asyncpg://u@db:5432/nal") == "uvloop"


def test_sqlite_stays_on_the_standard_loop() -> None:
    assert serving.event_loop_for("sqlite+aiosqlite:////data/notalabel.db") == "asyncio"


def test_without_uvloop_installed_postgresql_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serving.importlib.util, "find_spec", lambda name: None)
    assert serving.event_loop_for("postgresql+asyncpg://u@db:5432/nal") == "asyncio"


def test_uvloop_is_installed_from_the_lock() -> None:
    # the production figures in the README are measured on it
    assert serving.importlib.util.find_spec("uvloop") is not None
