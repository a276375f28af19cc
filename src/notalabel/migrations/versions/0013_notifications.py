"""notifications and notification_actors: what happened to an artist, grouped

One row per notification, with its latest activity in `updated_at`; a burst of the same kind
on the same subject (50 likes of one pattern) is one row whose actors are listed in
notification_actors. The (notification, actor) key makes a redelivered event change nothing.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from notalabel.db import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNREAD = sa.text("read_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("recipient_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("actor_count", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("read_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["users.id"], ondelete="CASCADE",
            name=op.f("fk_notifications_recipient_id_users"),
        ),
    )  # fmt: skip
    op.create_index(
        "ix_notifications_recipient_updated", "notifications",
        ["recipient_id", "updated_at", "id"],
    )  # fmt: skip
    op.create_index(
        "ix_notifications_unread_group", "notifications",
        ["recipient_id", "kind", "subject_id"],
        sqlite_where=_UNREAD, postgresql_where=_UNREAD,
    )  # fmt: skip
    op.create_table(
        "notification_actors",
        sa.Column("notification_id", sa.String(40), nullable=False),
        sa.Column("actor_id", sa.String(40), nullable=False),
        sa.Column("acted_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "notification_id", "actor_id", name=op.f("pk_notification_actors")
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"], ["notifications.id"], ondelete="CASCADE",
            name=op.f("fk_notification_actors_notification_id_notifications"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], ondelete="CASCADE",
            name=op.f("fk_notification_actors_actor_id_users"),
        ),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("notification_actors")
    op.drop_table("notifications")
