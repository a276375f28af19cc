"""pattern library: metadata and versions of patterns, likes, listens, comments, comment likes

Existing patterns (signatures, all made by the engine) are marked ai_generated and get their
first version from what they hold now.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import notalabel.db

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _user_fk(table: str, column: str = "user_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete="CASCADE"
    )


def _pattern_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["pattern_id"],
        ["patterns.id"],
        name=op.f(f"fk_{table}_pattern_id_patterns"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.add_column("patterns", sa.Column("remix_type", sa.String(length=16), nullable=True))
    op.add_column(
        "patterns",
        sa.Column("ai_generated", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("patterns", sa.Column("prompt", sa.Text(), nullable=True))
    for name, default in (("difficulty", "5"), ("version", "1"), ("comments", "0")):
        op.add_column(
            "patterns",
            sa.Column(name, sa.Integer(), server_default=sa.text(default), nullable=False),
        )
    op.add_column(
        "patterns", sa.Column("remixes", sa.Integer(), server_default=sa.text("0"), nullable=False)
    )
    op.add_column(
        "patterns",
        sa.Column("time_signature", sa.String(length=8), server_default="4/4", nullable=False),
    )
    op.create_index("ix_patterns_creator_created", "patterns", ["creator_id", "created_at"])
    op.create_index("ix_patterns_original", "patterns", ["original_pattern_id"])
    op.create_index("ix_patterns_public_created", "patterns", ["is_public", "created_at"])

    op.create_table(
        "pattern_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pattern_id", sa.String(length=40), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("strudel_code", sa.Text(), nullable=False),
        sa.Column("model", _JSON, nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("bpm", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("change", sa.Text(), nullable=False),
        sa.Column("created_at", notalabel.db.UTCDateTime(), nullable=False),
        _pattern_fk("pattern_versions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pattern_versions")),
        sa.UniqueConstraint("pattern_id", "number", name=op.f("uq_pattern_versions_pattern_id")),
    )
    op.create_index(op.f("ix_pattern_versions_pattern_id"), "pattern_versions", ["pattern_id"])
    # every pattern so far is a signature, made by the engine
    patterns = sa.table("patterns", sa.column("ai_generated"), sa.column("is_signature"))
    op.execute(
        patterns.update().where(patterns.c.is_signature == sa.true()).values(ai_generated=True)
    )
    op.execute(
        "INSERT INTO pattern_versions "
        "(pattern_id, number, strudel_code, model, description, bpm, key, change, created_at) "
        "SELECT id, 1, strudel_code, model, description, bpm, key, 'created', created_at "
        "FROM patterns"
    )

    op.create_table(
        "pattern_likes",
        sa.Column("pattern_id", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", notalabel.db.UTCDateTime(), nullable=False),
        _pattern_fk("pattern_likes"),
        _user_fk("pattern_likes"),
        sa.PrimaryKeyConstraint("pattern_id", "user_id", name=op.f("pk_pattern_likes")),
    )
    op.create_index(op.f("ix_pattern_likes_user_id"), "pattern_likes", ["user_id"])
    op.create_table(
        "pattern_listens",
        sa.Column("pattern_id", sa.String(length=40), nullable=False),
        sa.Column("listener", sa.String(length=80), nullable=False),
        sa.Column("counted_at", notalabel.db.UTCDateTime(), nullable=False),
        _pattern_fk("pattern_listens"),
        sa.PrimaryKeyConstraint("pattern_id", "listener", name=op.f("pk_pattern_listens")),
    )
    op.create_table(
        "comments",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("pattern_id", sa.String(length=40), nullable=False),
        sa.Column("author_id", sa.String(length=40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("likes", sa.Integer(), nullable=False),
        sa.Column("created_at", notalabel.db.UTCDateTime(), nullable=False),
        _pattern_fk("comments"),
        _user_fk("comments", "author_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    op.create_index(op.f("ix_comments_author_id"), "comments", ["author_id"])
    op.create_index("ix_comments_pattern_created", "comments", ["pattern_id", "created_at", "id"])
    op.create_table(
        "comment_likes",
        sa.Column("comment_id", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", notalabel.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_comment_likes_comment_id_comments"),
            ondelete="CASCADE",
        ),
        _user_fk("comment_likes"),
        sa.PrimaryKeyConstraint("comment_id", "user_id", name=op.f("pk_comment_likes")),
    )
    op.create_index(op.f("ix_comment_likes_user_id"), "comment_likes", ["user_id"])


def downgrade() -> None:
    op.drop_table("comment_likes")
    op.drop_table("comments")
    op.drop_table("pattern_listens")
    op.drop_table("pattern_likes")
    op.drop_table("pattern_versions")
    op.drop_index("ix_patterns_public_created", table_name="patterns")
    op.drop_index("ix_patterns_original", table_name="patterns")
    op.drop_index("ix_patterns_creator_created", table_name="patterns")
    with op.batch_alter_table("patterns") as batch:
        for column in (
            "time_signature",
            "remixes",
            "comments",
            "version",
            "difficulty",
            "prompt",
            "ai_generated",
            "remix_type",
        ):
            batch.drop_column(column)
