"""`/api/realtime`: a WebSocket that carries an artist's notifications and counters live.

The client's first message authenticates: `{"type": "auth", "token": "<access token>"}`
(never a query string, which would land in logs), with `"lastId"` when it reconnects. The
server answers `{"type": "ready"}`, then sends what the artist missed since `lastId` (or
`{"type": "resync"}` when that is no longer kept), then pushes `{"type": "notifications",
"unreadCount": n}` and `{"type": "pattern", "patternId": ..., "likes" | "plays": n}`, each
with its `id`. Close codes: 4400 a first message that is not an auth message, 4401 a missing,
invalid, expired or revoked token (also when the token expires while connected: the client
refreshes it and connects again), 4408 no auth message within AUTH_SECONDS, 1001 the server
is going away, 1013 the socket fell too far behind.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.errors import Unauthorized
from notalabel.realtime.fanout import id_key

router = APIRouter(tags=["realtime"])

AUTH_SECONDS = 10.0
BAD_FIRST_MESSAGE = 4400
NOT_SIGNED_IN = 4401
NO_AUTH_IN_TIME = 4408
FELL_BEHIND = 1013
MAX_ID_LENGTH = 40


@router.websocket("/api/realtime")
async def realtime(socket: WebSocket) -> None:
    """Authenticate with the first message, then receive pushes until either side closes."""
    container: Container = socket.app.state.container
    await socket.accept()
    try:
        first = await asyncio.wait_for(socket.receive_json(), AUTH_SECONDS)
    except TimeoutError:
        await socket.close(NO_AUTH_IN_TIME, 'Send {"type": "auth", "token": ...} first.')
        return
    except (WebSocketDisconnect, ValueError, KeyError):
        with contextlib.suppress(Exception):
            await socket.close(BAD_FIRST_MESSAGE, "The first message must be JSON.")
        return
    token = first.get("token") if isinstance(first, dict) and first.get("type") == "auth" else None
    last_id = first.get("lastId") if isinstance(first, dict) else None
    if not isinstance(token, str) or not token or not _valid_last_id(last_id):
        await socket.close(BAD_FIRST_MESSAGE, "The first message must be an auth message.")
        return
    try:
        claims = container.tokens.verify_access(token)
    except Unauthorized:
        await socket.close(NOT_SIGNED_IN, "Invalid or expired token.")
        return
    principal = await container.users.authenticate(claims)
    if principal is None:
        await socket.close(NOT_SIGNED_IN, "This sign-in has ended.")
        return
    user_id = principal.user.id
    # the queue first: a push that lands while the backlog is read is in one or the other
    queue = container.hub.open(user_id)
    try:
        await socket.send_json({"type": "ready"})
        sent = None
        if last_id is not None:
            missed = await container.fanout.since(user_id, last_id)
            if missed is None:
                await socket.send_json({"type": "resync"})
            for message in missed or ():
                await socket.send_json(message)
                sent = message["id"]
        lifetime = (claims.expires_at - utcnow()).total_seconds()
        await _pump(socket, queue, lifetime, sent)
    finally:
        container.hub.close(user_id, queue)


def _valid_last_id(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, str) or len(value) > MAX_ID_LENGTH:
        return False
    try:
        id_key(value)
    except ValueError:
        return False
    return True


async def _pump(
    socket: WebSocket, queue: asyncio.Queue[Any], lifetime: float, sent: str | None
) -> None:
    """Send what the queue gets until the client leaves, the token expires or the queue ends."""
    leaving = asyncio.ensure_future(_until_disconnect(socket))
    try:
        async with asyncio.timeout(max(lifetime, 0.0)):
            while True:
                getting = asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait(
                    {getting, leaving}, return_when=asyncio.FIRST_COMPLETED
                )
                if leaving in done:
                    getting.cancel()
                    return
                message = getting.result()
                if message is None:
                    await socket.close(FELL_BEHIND, "Too far behind: connect again.")
                    return
                if sent is not None and id_key(message["id"]) <= id_key(sent):
                    continue  # already sent from the backlog
                await socket.send_json(message)
    except TimeoutError:
        with contextlib.suppress(Exception):
            await socket.close(NOT_SIGNED_IN, "The token expired: refresh it and connect again.")
    except WebSocketDisconnect:
        return
    finally:
        leaving.cancel()


async def _until_disconnect(socket: WebSocket) -> None:
    # anything the client sends after the auth message is ignored (a keep-alive, say)
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            message = await socket.receive()
            if message["type"] == "websocket.disconnect":
                return
