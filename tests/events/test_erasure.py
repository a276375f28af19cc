"""Deleting an account removes the events that mention it; others' events stay."""

from __future__ import annotations

import sqlalchemy as sa

from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.events import outbox
from notalabel.patterns.events import PatternLiked
from tests.outbox import streamed
from tests.users.factories import make_artist


async def test_erasure_forgets_the_outbox_rows_and_dead_letters_that_name_the_artist(
    container: Container,
) -> None:
    leaving = await make_artist(container, "Leaving Fan")
    staying = await make_artist(container, "Staying Fan")
    maker = await make_artist(container, "Maker Stays")
    theirs = PatternLiked(
        pattern_id="p1", creator_id=maker.user.id, user_id=leaving.user.id, likes=1
    )
    others = PatternLiked(
        pattern_id="p2", creator_id=maker.user.id, user_id=staying.user.id, likes=1
    )

    def write(conn: sa.Connection) -> None:
        container.bus.stage(conn, [theirs, others])
        for event in (theirs, others):
            conn.execute(
                outbox.DEAD_LETTERS.insert().values(
                    event_id=0, name=event.name, payload=event.to_json()["data"],
                    handler="tests.h", attempts=5, error="boom", failed_at=utcnow(),
                )
            )  # fmt: skip

    await container.db.run(write)
    await container.bus.deliver([theirs, others])  # in production: on the stream now
    await container.erasure.delete(leaving.user.id)

    def payloads(conn: sa.Connection) -> list[tuple[str, str]]:
        found = []
        for table in (outbox.OUTBOX, outbox.DEAD_LETTERS):
            rows = conn.execute(sa.select(table.c.name, table.c.payload)).all()
            found += [(table.name, f"{row.name} {row.payload}") for row in rows]
        return found

    left = await container.db.read(payloads)
    naming = [(table, text) for table, text in left if leaving.user.id in text]
    # only the erasure's own UserDeleted event, which carries the id alone
    assert [text.split()[0] for _, text in naming] == ["UserDeleted"]
    assert sum(staying.user.id in text for _, text in left) == 2
    if container.redis is not None:
        # production: the stream's entries too, once the UserDeleted handler has run
        entries = await streamed(container)
        named = [f[b"name"] for f in entries if leaving.user.id.encode() in f[b"payload"]]
        assert named == [b"UserDeleted"]
        assert sum(staying.user.id.encode() in f[b"payload"] for f in entries) >= 1
