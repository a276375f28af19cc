"""refresh tokens: index the few that still hold a sealed successor

Each refresh clears the seals of its device's tokens older than the grace window; without
this index that update reads every token the device ever had (tokens are kept for reuse
detection), which grows with every refresh.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEALED = sa.text("successor_sealed IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_refresh_tokens_sealed_device",
        "refresh_tokens",
        ["device_id"],
        sqlite_where=_SEALED,
        postgresql_where=_SEALED,
    )


def downgrade() -> None:
    op.drop_index("ix_refresh_tokens_sealed_device", table_name="refresh_tokens")
