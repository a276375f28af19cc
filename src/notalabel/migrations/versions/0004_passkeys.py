"""passkeys: WebAuthn credentials, per-artist user handles and pending challenges

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import notalabel.db

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "passkeys",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("credential_id", sa.String(length=1400), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sign_count", sa.BigInteger(), nullable=False),
        sa.Column(
            "transports",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("aaguid", sa.String(length=36), nullable=False),
        sa.Column("backed_up", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("created_at", notalabel.db.UTCDateTime(), nullable=False),
        sa.Column("last_used_at", notalabel.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_passkeys_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passkeys")),
        sa.UniqueConstraint("credential_id", name=op.f("uq_passkeys_credential_id")),
    )
    op.create_index(op.f("ix_passkeys_user_id"), "passkeys", ["user_id"], unique=False)
    op.create_table(
        "passkey_user_handles",
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("handle", sa.String(length=64), nullable=False),
        sa.Column("created_at", notalabel.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_passkey_user_handles_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_passkey_user_handles")),
        sa.UniqueConstraint("handle", name=op.f("uq_passkey_user_handles_handle")),
    )
    op.create_table(
        "passkey_challenges",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=True),
        sa.Column("challenge", sa.String(length=128), nullable=False),
        sa.Column("created_at", notalabel.db.UTCDateTime(), nullable=False),
        sa.Column("expires_at", notalabel.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_passkey_challenges_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passkey_challenges")),
    )
    op.create_index(
        op.f("ix_passkey_challenges_user_id"), "passkey_challenges", ["user_id"], unique=False
    )
    op.create_index(
        op.f("ix_passkey_challenges_challenge"), "passkey_challenges", ["challenge"], unique=False
    )
    op.create_index(
        op.f("ix_passkey_challenges_expires_at"), "passkey_challenges", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_table("passkey_challenges")
    op.drop_table("passkey_user_handles")
    op.drop_table("passkeys")
