"""names: keys are case-folded confusable skeletons, widened to hold them

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from notalabel.identity.naming import MAX_KEY_LENGTH, name_key

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_LENGTH = 32
_users = sa.table(
    "users",
    sa.column("id", sa.String()),
    sa.column("artist_name", sa.String()),
    sa.column("artist_name_key", sa.String()),
    sa.column("created_at", sa.DateTime()),
)
_sessions = sa.table(
    "identity_sessions",
    sa.column("id", sa.String()),
    sa.column("tentative_artist_name", sa.String()),
    sa.column("tentative_name_key", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.alter_column(
            "artist_name_key",
            existing_type=sa.String(length=_OLD_LENGTH),
            type_=sa.String(length=MAX_KEY_LENGTH),
            existing_nullable=False,
        )
    with op.batch_alter_table("identity_sessions") as batch:
        batch.alter_column(
            "tentative_name_key",
            existing_type=sa.String(length=_OLD_LENGTH),
            type_=sa.String(length=MAX_KEY_LENGTH),
            existing_nullable=True,
        )
    _recompute_keys()


def downgrade() -> None:
    # the old key was the case-folded name; skeletons do not fit back into 32 characters
    bind = op.get_bind()
    for user_id, name in bind.execute(sa.select(_users.c.id, _users.c.artist_name)).all():
        bind.execute(
            _users.update()
            .where(_users.c.id == user_id)
            .values(artist_name_key=" ".join(name.split()).casefold())
        )
    bind.execute(
        _sessions.update()
        .where(_sessions.c.tentative_name_key.is_not(None))
        .values(tentative_name_key=sa.func.lower(_sessions.c.tentative_artist_name))
    )
    with op.batch_alter_table("identity_sessions") as batch:
        batch.alter_column(
            "tentative_name_key",
            existing_type=sa.String(length=MAX_KEY_LENGTH),
            type_=sa.String(length=_OLD_LENGTH),
            existing_nullable=True,
        )
    with op.batch_alter_table("users") as batch:
        batch.alter_column(
            "artist_name_key",
            existing_type=sa.String(length=MAX_KEY_LENGTH),
            type_=sa.String(length=_OLD_LENGTH),
            existing_nullable=False,
        )


def _recompute_keys() -> None:
    """Every stored key becomes the skeleton key; the oldest holder of a look-alike keeps it."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_users.c.id, _users.c.artist_name).order_by(_users.c.created_at, _users.c.id)
    ).all()
    # two existing names may now be one: the later account keeps its name but gets a key no
    # one else can match (suffixed with its id), so nobody is renamed behind their back
    wanted: dict[str, str] = {}
    seen: set[str] = set()
    for user_id, name in rows:
        key = name_key(name)
        wanted[user_id] = key if key not in seen else f"{key}#{user_id}"[:MAX_KEY_LENGTH]
        seen.add(key)
    # park every key first so a swap between two rows cannot trip the unique constraint
    for user_id in wanted:
        bind.execute(
            _users.update().where(_users.c.id == user_id).values(artist_name_key=f"#{user_id}")
        )
    for user_id, key in wanted.items():
        bind.execute(_users.update().where(_users.c.id == user_id).values(artist_name_key=key))
    held = bind.execute(
        sa.select(_sessions.c.id, _sessions.c.tentative_artist_name).where(
            _sessions.c.tentative_artist_name.is_not(None)
        )
    ).all()
    for session_id, name in held:
        bind.execute(
            _sessions.update()
            .where(_sessions.c.id == session_id)
            .values(tentative_name_key=name_key(name))
        )
