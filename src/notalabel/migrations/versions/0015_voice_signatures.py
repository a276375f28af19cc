"""voice signatures: sealed voiceprints, login challenges, pending samples, replay memory

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from notalabel.db import UTCDateTime

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _owner(table: str, nullable: bool = False) -> list[Any]:
    return [
        sa.Column("user_id", sa.String(40), nullable=nullable),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], ondelete="CASCADE", name=op.f(f"fk_{table}_user_id_users")
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "voice_signatures",
        *_owner("voice_signatures"),
        sa.Column("voiceprint", sa.LargeBinary(), nullable=False),
        sa.Column("quality", sa.Float(), nullable=False),
        sa.Column("sample_count", sa.Integer(), nullable=False),
        sa.Column("confidence_threshold", sa.Float(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("require_humming", sa.Boolean(), nullable=False),
        sa.Column("successful_auths", sa.Integer(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("failures_in_a_row", sa.Integer(), nullable=False),
        sa.Column("average_confidence", sa.Float(), nullable=True),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("last_used_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_voice_signatures")),
    )
    for table, column in (
        ("voice_enrolment_samples", "sealed"),
        ("voice_attempt_prints", "sealed"),
    ):
        op.create_table(
            table,
            sa.Column("id", sa.String(40), nullable=False),
            *_owner(table),
            sa.Column(column, sa.LargeBinary(), nullable=False),
            sa.Column("created_at", UTCDateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        )
        op.create_index(op.f(f"ix_{table}_user_id"), table, ["user_id"])
    op.create_table(
        "voice_challenges",
        sa.Column("id", sa.String(40), nullable=False),
        *_owner("voice_challenges", nullable=True),
        sa.Column("digits", sa.String(8), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voice_challenges")),
    )
    op.create_index(op.f("ix_voice_challenges_user_id"), "voice_challenges", ["user_id"])
    op.create_index(op.f("ix_voice_challenges_expires_at"), "voice_challenges", ["expires_at"])


def downgrade() -> None:
    for table in (
        "voice_challenges",
        "voice_attempt_prints",
        "voice_enrolment_samples",
        "voice_signatures",
    ):
        op.drop_table(table)
