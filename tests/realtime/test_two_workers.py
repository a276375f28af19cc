"""Two real API workers on PostgreSQL and Redis: a push crosses workers, and nothing is lost.

Each worker is its own `notalabel serve` process on a database of this test's own. An artist's
socket is open on worker B; a like is sent to worker A. Then an event is committed to the outbox
by a process that never delivers it (what a crash right after the commit leaves behind): a
worker's relay finds it on its next poll and the socket on B hears of it.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

from notalabel.container import Container
from notalabel.patterns.events import PatternLiked
from tests.patterns.factories import PATTERNS
from tests.realtime.workers import Inbox, needs_workers, worker_env, workers
from tests.users.factories import make_artist

pytestmark = needs_workers


async def test_a_like_on_worker_a_reaches_a_socket_on_worker_b_and_nothing_is_lost(
    database_url: str, worker_services: Container, tmp_path: Path, stream: str
) -> None:
    env = worker_env(database_url, tmp_path, stream)
    with workers(env, tmp_path, 2) as (worker_a, worker_b):
        maker = await make_artist(worker_services, "Two Worker Maker")
        fan = await make_artist(worker_services, "Two Worker Fan")
        late = await make_artist(worker_services, "Late Fan")
        async with httpx.AsyncClient(base_url=worker_a) as http:
            made = await http.post(
                PATTERNS, json={"description": "dub techno"}, headers=maker.headers
            )
            assert made.status_code == 201, made.text
            pattern_id = made.json()["id"]
            socket = await connect(worker_b.replace("http", "ws") + "/api/realtime")
            await socket.send(json.dumps({"type": "auth", "token": maker.token}))
            assert json.loads(await socket.recv()) == {"type": "ready"}
            inbox = Inbox(socket)

            liked = await http.put(f"{PATTERNS}/{pattern_id}/like", headers=fan.headers)
            assert liked.status_code == 200, liked.text
            await inbox.expect({"type": "pattern", "patternId": pattern_id, "likes": 1})
            await inbox.expect({"type": "notifications", "unreadCount": 1})

            # committed, never delivered by the process that wrote it (a crash right after
            # the commit): a worker's relay finds it on its next poll
            lost = PatternLiked(
                pattern_id=pattern_id, creator_id=maker.user.id, user_id=late.user.id, likes=2
            )
            await worker_services.db.run(lambda conn: worker_services.bus.stage(conn, [lost]))
            await inbox.expect({"type": "pattern", "patternId": pattern_id, "likes": 2})
            await inbox.expect({"type": "notifications", "unreadCount": 1})  # grouped
            notes = await http.get("/api/notifications", headers=maker.headers)
            [note] = notes.json()["items"]
            assert note["actorCount"] == 2
            await socket.close()


def requests_counted(metrics: str, route: str) -> float:
    """The request counter of `route` (GET, 200) in a Prometheus exposition."""
    for line in metrics.splitlines():
        wanted = (f'route="{route}"', 'method="GET"', 'status="200"')
        if line.startswith("notalabel_http_requests_total{") and all(w in line for w in wanted):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_metrics_add_up_every_workers_requests(
    database_url: str, tmp_path: Path, stream: str
) -> None:
    env = {**worker_env(database_url, tmp_path, stream), "NAL_METRICS_TOKEN": "m" * 40}
    token = {"Authorization": "Bearer " + "m" * 40}
    with workers(env, tmp_path, 1, processes=2) as (base,):
        async with httpx.AsyncClient(base_url=base) as http:
            before = requests_counted((await http.get("/metrics", headers=token)).text, "/readyz")
            # a new connection each time, so the requests spread over both workers
            for _ in range(30):
                async with httpx.AsyncClient(base_url=base) as once:
                    assert (await once.get("/readyz")).status_code == 200
            for _ in range(4):  # whichever worker answers, the sum is the same
                metrics = (await http.get("/metrics", headers=token)).text
                assert requests_counted(metrics, "/readyz") - before == 30
