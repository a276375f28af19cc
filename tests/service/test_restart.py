"""A real server process, stopped and started again in the middle of an onboarding."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(
    PG_URL is not None, reason="restart of the embedded default (SQLite file in NAL_DATA_DIR)"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(data_dir: Path, port: int) -> Iterator[httpx.Client]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NAL_")}
    env["NAL_DATA_DIR"] = str(data_dir)
    process = subprocess.Popen(
        [sys.executable, "-m", "notalabel", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=10) as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if client.get("/api/health").json()["status"] == "ok":
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(process.stderr.read().decode() if process.stderr else "")
                time.sleep(0.1)
            yield client
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


def step(client: httpx.Client, session_id: str, text: str) -> dict[str, object]:
    response = client.post(
        "/api/auth/musical-identity/process", json={"sessionId": session_id, "input": text}
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_onboarding_survives_restarts(tmp_path: Path) -> None:
    port = free_port()
    with running_server(tmp_path, port) as client:
        session_id = client.post("/api/auth/musical-identity/start").json()["sessionId"]
        step(client, session_id, "I love chill lo-fi beats for studying")
        refined = step(client, session_id, "make it more dreamy")

    with running_server(tmp_path, port) as client:
        resumed = client.get(f"/api/auth/musical-identity/session/{session_id}").json()
        assert resumed["step"] == "refinement"
        assert resumed["lastPattern"] == refined["pattern"]
        assert len(resumed["responses"]) == 2
        step(client, session_id, "love it!")
        step(client, session_id, "DreamyBeats")
        done = step(client, session_id, "yes")
        token = done["token"]

    # the embedded default keeps its signing secret, so tokens outlive a restart
    with running_server(tmp_path, port) as client:
        me = client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.text
        assert me.json()["artistName"] == "DreamyBeats"
    assert (tmp_path / "notalabel.db").exists()
    assert (tmp_path / "jwt-secret").stat().st_mode & 0o077 == 0
