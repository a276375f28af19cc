"""event_outbox and event_dead_letters: domain events written with the change that caused them

An event is inserted in the same transaction as its change and delivered after the commit
(events/relay.py). `pending` lists the handlers still to run; `attempts` counts each one's
failures; `lease_until` hides a row while one relay works on it (a relay that dies leaves the
lease to run out, and another delivers the row). A handler that keeps failing leaves a copy of
the event in event_dead_letters, which an operator lists and replays.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from notalabel.db import UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNDELIVERED = sa.text("delivered_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "event_outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("pending", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_outbox")),
    )
    op.create_index(
        "ix_event_outbox_undelivered", "event_outbox", ["id"],
        sqlite_where=_UNDELIVERED, postgresql_where=_UNDELIVERED,
    )  # fmt: skip
    op.create_index("ix_event_outbox_delivered_at", "event_outbox", ["delivered_at"])
    op.create_table(
        "event_dead_letters",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("handler", sa.String(120), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("failed_at", UTCDateTime(), nullable=False),
        sa.Column("replayed_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_dead_letters")),
    )


def downgrade() -> None:
    op.drop_table("event_dead_letters")
    op.drop_table("event_outbox")
