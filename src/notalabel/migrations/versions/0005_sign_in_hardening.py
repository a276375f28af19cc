"""sign-in hardening: lockout per client, refresh grace, email codes

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import notalabel.db

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("login_window_started_at", notalabel.db.UTCDateTime(), nullable=True)
        )
    with op.batch_alter_table("refresh_tokens") as batch:
        batch.add_column(sa.Column("successor_sealed", sa.LargeBinary(), nullable=True))
    op.create_table(
        "email_verifications",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("ip_address", sa.String(length=64), nullable=False),
        sa.Column("created_at", notalabel.db.UTCDateTime(), nullable=False),
        sa.Column("expires_at", notalabel.db.UTCDateTime(), nullable=False),
        sa.Column("closed_at", notalabel.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_email_verifications_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_verifications")),
    )
    for column in ("user_id", "ip_address", "created_at"):
        op.create_index(
            op.f(f"ix_email_verifications_{column}"), "email_verifications", [column], unique=False
        )
    op.create_table(
        "known_clients",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", notalabel.db.UTCDateTime(), nullable=False),
        sa.Column("last_used_at", notalabel.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_known_clients_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_clients")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_known_clients_key_hash")),
    )
    op.create_index(op.f("ix_known_clients_user_id"), "known_clients", ["user_id"], unique=False)
    op.create_table(
        "login_locks",
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("client_key", sa.String(length=96), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", notalabel.db.UTCDateTime(), nullable=True),
        sa.Column("updated_at", notalabel.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_login_locks_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "client_key", name=op.f("pk_login_locks")),
    )


def downgrade() -> None:
    op.drop_table("login_locks")
    op.drop_table("known_clients")
    op.drop_table("email_verifications")
    with op.batch_alter_table("refresh_tokens") as batch:
        batch.drop_column("successor_sealed")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("login_window_started_at")
