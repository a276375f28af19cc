"""Collaboration requests: ask, accept, decline, withdraw; accepted ones are collaborations.

One open request and one collaboration per pair, whoever asked (partial unique indexes,
migration 0011): two artists asking each other at the same moment get one request and one
409. A block either way forbids asking and answering, and hides the collaboration from the
lists.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError

from notalabel.community.events import (
    CollaborationAccepted,
    CollaborationDeclined,
    CollaborationRequested,
)
from notalabel.community.exceptions import (
    ArtistNotFound,
    CollaborationConflict,
    CollaborationForbidden,
    InvalidCollaboration,
    RequestNotFound,
)
from notalabel.community.models import CollaborationRequest, RequestStatus, new_request_id, pair_key
from notalabel.community.schemas import (
    ArtistRef,
    CollaboratorList,
    CollaboratorOut,
    RequestLists,
    RequestOut,
)
from notalabel.db import Database, utcnow
from notalabel.events import Event, MessageBus
from notalabel.social.service import blocked_either_way, either_blocked
from notalabel.users.directory import read_names
from notalabel.users.service import read_user_by_ref

_REQUESTS: sa.Table = CollaborationRequest.__table__  # type: ignore[assignment]
_SELECT = sa.select(_REQUESTS)
_PENDING = RequestStatus.PENDING.value
_ACCEPTED = RequestStatus.ACCEPTED.value
OPEN_LIST_LIMIT = 100


class CollaborationRequests:
    """The request flow between two artists."""

    def __init__(self, db: Database, bus: MessageBus) -> None:
        self._db = db
        self._bus = bus

    async def ask(self, requester_id: str, ref: str, message: str) -> RequestOut:
        """Ask the artist `ref` names to collaborate."""

        def work(conn: Connection) -> RequestOut:
            recipient = read_user_by_ref(conn, ref)
            if recipient is None:
                raise ArtistNotFound("No artist with that name or id.")
            if recipient.id == requester_id:
                raise InvalidCollaboration("You can't ask yourself to collaborate.")
            if either_blocked(conn, requester_id, recipient.id):
                raise CollaborationForbidden("You can't collaborate with this artist.")
            key = pair_key(requester_id, recipient.id)
            _refuse_if_open_or_joined(conn, key)
            request_id = new_request_id()
            conn.execute(
                _REQUESTS.insert().values(
                    id=request_id, requester_id=requester_id, recipient_id=recipient.id,
                    pair_key=key, message=message, status=_PENDING,
                    created_at=utcnow(), answered_at=None,
                )
            )  # fmt: skip
            return _read(conn, request_id)

        return await self._write(
            work, "A request between you two is already open.", CollaborationRequested
        )

    async def accept(self, user_id: str, request_id: str) -> RequestOut:
        """Say yes to a request made to `user_id`."""
        return await self._answer(user_id, request_id, RequestStatus.ACCEPTED)

    async def decline(self, user_id: str, request_id: str) -> RequestOut:
        """Say no to a request made to `user_id`."""
        return await self._answer(user_id, request_id, RequestStatus.DECLINED)

    async def withdraw(self, user_id: str, request_id: str) -> RequestOut:
        """Take back an open request `user_id` made."""

        def work(conn: Connection) -> RequestOut:
            row = _visible_request(conn, user_id, request_id)
            if row["requester_id"] != user_id:
                raise CollaborationForbidden("Only the artist who asked can withdraw a request.")
            _set_status(conn, row, RequestStatus.WITHDRAWN)
            return _read(conn, request_id)

        return await self._write(work, "That request was already answered.")

    async def open_requests(self, user_id: str) -> RequestLists:
        """The open requests made to and by `user_id`, newest first."""

        def read(conn: Connection) -> RequestLists:
            def rows(column: sa.ColumnElement[str]) -> list[RequestOut]:
                query = (
                    _SELECT.where(column == user_id, _REQUESTS.c.status == _PENDING)
                    .order_by(_REQUESTS.c.created_at.desc(), _REQUESTS.c.id.desc())
                    .limit(OPEN_LIST_LIMIT)
                )
                return _outs(conn, list(conn.execute(query).mappings()))

            return RequestLists(
                incoming=rows(_REQUESTS.c.recipient_id), outgoing=rows(_REQUESTS.c.requester_id)
            )

        return await self._db.read(read)

    async def collaborators(self, ref: str, viewer_id: str | None) -> CollaboratorList:
        """The artists `ref` collaborates with (not those blocked since), newest first."""

        def read(conn: Connection) -> CollaboratorList:
            artist = read_user_by_ref(conn, ref)
            if artist is None or (
                viewer_id is not None and either_blocked(conn, viewer_id, artist.id)
            ):
                raise ArtistNotFound("No artist with that name or id.")
            query = _SELECT.where(
                _REQUESTS.c.status == _ACCEPTED,
                sa.or_(
                    _REQUESTS.c.requester_id == artist.id, _REQUESTS.c.recipient_id == artist.id
                ),
            ).order_by(_REQUESTS.c.answered_at.desc(), _REQUESTS.c.id.desc())
            rows = list(conn.execute(query).mappings())
            others = [
                (row["recipient_id"] if row["requester_id"] == artist.id else row["requester_id"],
                 row["answered_at"])
                for row in rows
            ]  # fmt: skip
            names = read_names(conn, [other for other, _ in others])
            blocked = blocked_either_way(conn, artist.id)
            return CollaboratorList(
                items=[
                    CollaboratorOut(id=other, artist_name=names[other], since=since)
                    for other, since in others
                    if other in names and other not in blocked
                ]
            )

        return await self._db.read(read)

    async def _answer(self, user_id: str, request_id: str, status: RequestStatus) -> RequestOut:
        def work(conn: Connection) -> RequestOut:
            row = _visible_request(conn, user_id, request_id)
            if row["recipient_id"] != user_id:
                raise CollaborationForbidden("Only the artist who was asked can answer.")
            if either_blocked(conn, row["requester_id"], row["recipient_id"]):
                raise CollaborationForbidden("You can't collaborate with this artist.")
            _set_status(conn, row, status)
            return _read(conn, request_id)

        accepted = status is RequestStatus.ACCEPTED
        event = CollaborationAccepted if accepted else CollaborationDeclined
        return await self._write(work, "That request was already answered.", event)

    async def _write(
        self,
        work: Callable[[Connection], RequestOut],
        clash: str,
        event: Callable[..., Event] | None = None,
    ) -> RequestOut:
        events: list[Event] = []

        def staged(conn: Connection) -> RequestOut:
            request = work(conn)
            if event is not None:
                events.append(
                    event(request_id=request.id, requester_id=request.requester.id,
                          recipient_id=request.recipient.id)
                )  # fmt: skip
                self._bus.stage(conn, events)
            return request

        try:
            request = await self._db.run(staged)
        except IntegrityError as exc:
            # the other artist asked at the same moment (the partial unique indexes)
            raise CollaborationConflict(clash) from exc
        await self._bus.deliver(events)
        return request


def _refuse_if_open_or_joined(conn: Connection, key: str) -> None:
    query = sa.select(_REQUESTS.c.status).where(
        _REQUESTS.c.pair_key == key, _REQUESTS.c.status.in_((_PENDING, _ACCEPTED))
    )
    found = set(conn.execute(query).scalars())
    if _ACCEPTED in found:
        raise CollaborationConflict("You already collaborate with this artist.")
    if _PENDING in found:
        raise CollaborationConflict("A request between you two is already open.")


def _visible_request(conn: Connection, user_id: str, request_id: str) -> RowMapping:
    row = conn.execute(_SELECT.where(_REQUESTS.c.id == request_id)).mappings().first()
    # someone else's request is as good as missing: its existence is not theirs to know
    if row is None or user_id not in (row["requester_id"], row["recipient_id"]):
        raise RequestNotFound("No such collaboration request.")
    return row


def _set_status(conn: Connection, row: RowMapping, status: RequestStatus) -> None:
    updated = conn.execute(
        _REQUESTS.update()
        .where(_REQUESTS.c.id == row["id"], _REQUESTS.c.status == _PENDING)
        .values(status=status.value, answered_at=utcnow())
    )
    if updated.rowcount != 1:
        raise CollaborationConflict("That request was already answered.")


def _read(conn: Connection, request_id: str) -> RequestOut:
    row = conn.execute(_SELECT.where(_REQUESTS.c.id == request_id)).mappings().one()
    return _outs(conn, [row])[0]


def _outs(conn: Connection, rows: list[RowMapping]) -> list[RequestOut]:
    # the foreign keys cascade: both artists of a stored request exist
    names = read_names(conn, [r[c] for r in rows for c in ("requester_id", "recipient_id")])
    return [
        RequestOut(
            id=row["id"],
            requester=ArtistRef(id=row["requester_id"], artist_name=names[row["requester_id"]]),
            recipient=ArtistRef(id=row["recipient_id"], artist_name=names[row["recipient_id"]]),
            message=row["message"],
            status=RequestStatus(row["status"]),
            created_at=row["created_at"],
            answered_at=row["answered_at"],
        )
        for row in rows
    ]
