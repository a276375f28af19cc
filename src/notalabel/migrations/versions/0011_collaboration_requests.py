"""collaboration_requests: one row per request; accepted ones are the collaborations

Partial unique indexes keep one pending request and one accepted collaboration per pair of
artists, whichever of the two asked (`pair_key` is the two ids in order).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from notalabel.db import UTCDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PENDING = sa.text("status = 'pending'")
_ACCEPTED = sa.text("status = 'accepted'")


def upgrade() -> None:
    op.create_table(
        "collaboration_requests",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("requester_id", sa.String(40), nullable=False),
        sa.Column("recipient_id", sa.String(40), nullable=False),
        sa.Column("pair_key", sa.String(90), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collaboration_requests")),
        *(
            sa.ForeignKeyConstraint(
                [column], ["users.id"], ondelete="CASCADE",
                name=op.f(f"fk_collaboration_requests_{column}_users"),
            )
            for column in ("requester_id", "recipient_id")
        ),
        sa.CheckConstraint(
            "requester_id <> recipient_id", name=op.f("ck_collaboration_requests_not_self")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'withdrawn')",
            name=op.f("ck_collaboration_requests_known_status"),
        ),
    )  # fmt: skip
    op.create_index(
        "ux_collaboration_requests_pending_pair", "collaboration_requests", ["pair_key"],
        unique=True, sqlite_where=_PENDING, postgresql_where=_PENDING,
    )  # fmt: skip
    op.create_index(
        "ux_collaboration_requests_accepted_pair", "collaboration_requests", ["pair_key"],
        unique=True, sqlite_where=_ACCEPTED, postgresql_where=_ACCEPTED,
    )  # fmt: skip
    op.create_index(
        "ix_collaboration_requests_recipient", "collaboration_requests",
        ["recipient_id", "status", "created_at"],
    )  # fmt: skip
    op.create_index(
        "ix_collaboration_requests_requester", "collaboration_requests",
        ["requester_id", "status", "created_at"],
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("collaboration_requests")
