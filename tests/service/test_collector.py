"""Each worker freezes its start-up heap and collects young objects rarely."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from notalabel.app import create_app
from notalabel.config import Settings
from notalabel.serving import YOUNG_THRESHOLD, settle_collector
from tests.conftest import TEST_SECRET


@pytest.fixture
def restored_collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_settle_collector_freezes_the_heap_and_raises_the_young_threshold(
    restored_collector: None,
) -> None:
    gc.unfreeze()
    middle, old = gc.get_threshold()[1:]
    settle_collector()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (YOUNG_THRESHOLD, middle, old)
    assert YOUNG_THRESHOLD > 700  # CPython's default, which ran 300 collections a second


async def test_the_app_settles_its_collector_at_start_up(
    restored_collector: None, tmp_path: Path
) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        jwt_secret=TEST_SECRET,
        session_prune_minutes=0,
    )
    gc.set_threshold(700, 10, 10)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
