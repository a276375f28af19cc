"""signature_fingerprints: no two accounts hold the same signature arrangement

The fingerprint is a digest of what the signature plays (sounds, rhythms, degrees, registers,
mode), key- and tempo-free; its primary key rejects a second account with the same one.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from notalabel.db import UTCDateTime

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signature_fingerprints",
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(40), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_signature_fingerprints")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            ondelete="CASCADE",
            name=op.f("fk_signature_fingerprints_user_id_users"),
        ),
        sa.UniqueConstraint("user_id", name=op.f("uq_signature_fingerprints_user_id")),
    )


def downgrade() -> None:
    op.drop_table("signature_fingerprints")
