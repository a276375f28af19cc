"""patterns: one index per creator that serves the library and the following feed

`(creator_id, created_at, id)`, on PostgreSQL carrying `is_public` too, replaces
`(creator_id, created_at)` and `(creator_id)` (its prefix). The following feed reads the newest
public patterns of each followed artist from it in order, without a sort and, on PostgreSQL,
without visiting the table; an artist's library pages by (created_at, id) the same way.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_patterns_creator_created_id",
        "patterns",
        ["creator_id", "created_at", "id"],
        postgresql_include=["is_public"],
    )
    op.drop_index("ix_patterns_creator_created", table_name="patterns")
    op.drop_index("ix_patterns_creator_id", table_name="patterns")


def downgrade() -> None:
    op.create_index("ix_patterns_creator_id", "patterns", ["creator_id"])
    op.create_index("ix_patterns_creator_created", "patterns", ["creator_id", "created_at"])
    op.drop_index("ix_patterns_creator_created_id", table_name="patterns")
