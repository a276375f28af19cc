"""Private files, and storage that cannot take writes: 503 at run time, one line at start-up."""

from __future__ import annotations

import stat
from pathlib import Path

import httpx
import pytest
from sqlalchemy.exc import OperationalError, ProgrammingError
from typer.testing import CliRunner

from notalabel import cli
from notalabel.config import Settings
from notalabel.container import Container
from notalabel.db import Database
from notalabel.storage import is_storage_failure
from tests.conftest import PG_URL
from tests.service.apps import serve

START = "/api/auth/musical-identity/start"


def mode(path: Path) -> int:
    """The permission bits of `path`."""
    return stat.S_IMODE(path.stat().st_mode)


async def test_the_data_dir_and_database_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "fresh" / "data"
    db = Database(f"sqlite+aiosqlite:///{data / 'notalabel.db'}")
    try:
        await db.ping()
        assert mode(data) == 0o700
        files = [p for p in data.iterdir() if p.name.startswith("notalabel.db")]
        assert {p.name for p in files} >= {"notalabel.db", "notalabel.db-wal", "notalabel.db-shm"}
        for path in files:
            assert mode(path) == 0o600, path.name
    finally:
        await db.dispose()


async def test_existing_database_files_are_tightened(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.dispose()
    assert mode(path) == 0o600


@pytest.fixture
def sqlite_file(database: Database) -> Path:
    """The SQLite file behind the test database (SQLite runs only)."""
    if PG_URL is not None:
        pytest.skip("a read-only SQLite file")
    return Path(database.url.split("///", 1)[1])


async def test_a_read_only_database_answers_503_and_is_not_ready(
    settings: Settings, sqlite_file: Path
) -> None:
    read_only = Database(f"sqlite+aiosqlite:///file:{sqlite_file}?mode=ro&uri=true")
    try:
        async with serve(settings, read_only) as (_, _, client):
            response = await client.post(START)
            assert response.status_code == 503
            assert response.json()["error"]["code"] == "storage_unavailable"
            assert "readonly" not in response.text
            ready = await client.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["error"]["details"]["database"] == "down"
            assert (await client.get("/api/health")).status_code == 200
    finally:
        await read_only.dispose()


@pytest.mark.parametrize(
    "failure",
    [
        OperationalError("SELECT 1", {}, Exception("server closed"), connection_invalidated=True),
        OperationalError("INSERT", {}, Exception("database or disk is full")),
        OperationalError("INSERT", {}, Exception("disk I/O error")),
        ConnectionRefusedError(111, "Connect call failed"),
    ],
)
async def test_lost_or_full_storage_is_503_on_every_backend(
    client: httpx.AsyncClient,
    container: Container,
    monkeypatch: pytest.MonkeyPatch,
    failure: Exception,
) -> None:
    async def failing(*_: object) -> None:
        raise failure

    monkeypatch.setattr(container.identity, "start", failing)
    response = await client.post(START)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "storage_unavailable"


async def test_a_wrong_query_is_still_a_500(
    client: httpx.AsyncClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def failing(*_: object) -> None:
        raise ProgrammingError("SELEC 1", {}, Exception('syntax error at or near "SELEC"'))

    monkeypatch.setattr(container.identity, "start", failing)
    response = await client.post(START)
    assert response.status_code == 500
    assert not is_storage_failure(ProgrammingError("x", {}, Exception("no such column")))


def test_serve_refuses_an_unwritable_data_dir_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.uvicorn, "run", pytest.fail)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = CliRunner().invoke(cli.app, ["serve"], env={"NAL_DATA_DIR": str(blocker / "sub")})
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "data directory" in lines[0]
    assert "not writable" in lines[0]


def test_serve_refuses_bad_settings_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.uvicorn, "run", pytest.fail)
    env = {"NAL_DATA_DIR": str(tmp_path), "NAL_TRUSTED_PROXIES": "10.0.0.0/99"}
    result = CliRunner().invoke(cli.app, ["serve"], env=env)
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "NAL_TRUSTED_PROXIES" in result.output
