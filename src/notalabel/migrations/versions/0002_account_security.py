"""account security: re-authentication time on device sign-ins

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import notalabel.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("authenticated_at", notalabel.db.UTCDateTime(), nullable=True))
    op.execute("UPDATE devices SET authenticated_at = created_at")
    with op.batch_alter_table("devices") as batch:
        batch.alter_column(
            "authenticated_at", existing_type=notalabel.db.UTCDateTime(), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("authenticated_at")
