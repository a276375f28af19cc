"""discovery: the following feed as a table per follower, kept by triggers (PostgreSQL only)

`following_feed(follower_id, creator_id, pattern_id, created_at)` holds, for every follower,
each public pattern of every artist they follow. A follower's feed is then one index range on
`(follower_id, created_at, pattern_id)` however many artists they follow, instead of one
index range per followed artist merged at every request.

Triggers keep it exact:
- a pattern saved public, made public or private, or re-dated: its rows are rewritten for the
  creator's followers;
- a follow: the followed artist's public patterns are added for the follower; an unfollow
  (also the one a block makes) takes them out;
- a deleted pattern or account: the foreign keys cascade.

A follow and a new pattern of the same artist, committed at the same moment, would each miss
the other's row: the pattern side takes a transaction-scoped advisory lock on the artist, the
follow side the same lock shared, so one waits for the other to commit and then sees its row
(each statement of a trigger function reads afresh under READ COMMITTED).

SQLite keeps the following feed as a filter of the recent index (discovery/feeds.py): no table.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

# ruff: noqa: S608 - every statement here is built from constants, none from input

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import notalabel.db

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# one lock key per artist, shared by the two trigger functions
_LOCK_KEY = "hashtextextended('following_feed:' || {artist}, 0)"

_PATTERN_FUNCTION = f"""
CREATE FUNCTION following_feed_pattern_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({_LOCK_KEY.format(artist="NEW.creator_id")});
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM following_feed WHERE pattern_id = NEW.id;
    END IF;
    IF NEW.is_public THEN
        INSERT INTO following_feed (follower_id, creator_id, pattern_id, created_at)
        SELECT f.follower_id, NEW.creator_id, NEW.id, NEW.created_at
        FROM follows f WHERE f.followee_id = NEW.creator_id
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$
"""

_FOLLOW_FUNCTION = f"""
CREATE FUNCTION following_feed_follow_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM pg_advisory_xact_lock_shared({_LOCK_KEY.format(artist="NEW.followee_id")});
        INSERT INTO following_feed (follower_id, creator_id, pattern_id, created_at)
        SELECT NEW.follower_id, p.creator_id, p.id, p.created_at
        FROM patterns p WHERE p.creator_id = NEW.followee_id AND p.is_public
        ON CONFLICT DO NOTHING;
    ELSE
        PERFORM pg_advisory_xact_lock_shared({_LOCK_KEY.format(artist="OLD.followee_id")});
        DELETE FROM following_feed
        WHERE follower_id = OLD.follower_id AND creator_id = OLD.followee_id;
    END IF;
    RETURN NULL;
END
$$
"""

_TRIGGERS = [
    "CREATE TRIGGER patterns_following_feed_insert AFTER INSERT ON patterns "
    "FOR EACH ROW EXECUTE FUNCTION following_feed_pattern_changed()",
    "CREATE TRIGGER patterns_following_feed_update AFTER UPDATE OF is_public, created_at "
    "ON patterns FOR EACH ROW WHEN (OLD.is_public IS DISTINCT FROM NEW.is_public "
    "OR OLD.created_at IS DISTINCT FROM NEW.created_at) "
    "EXECUTE FUNCTION following_feed_pattern_changed()",
    "CREATE TRIGGER follows_following_feed AFTER INSERT OR DELETE ON follows "
    "FOR EACH ROW EXECUTE FUNCTION following_feed_follow_changed()",
]

_BACKFILL = (
    "INSERT INTO following_feed (follower_id, creator_id, pattern_id, created_at) "
    "SELECT f.follower_id, p.creator_id, p.id, p.created_at "
    "FROM follows f JOIN patterns p ON p.creator_id = f.followee_id WHERE p.is_public"
)


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.create_table(
        "following_feed",
        sa.Column("follower_id", sa.String(length=40), nullable=False),
        sa.Column("creator_id", sa.String(length=40), nullable=False),
        sa.Column("pattern_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", notalabel.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["follower_id"],
            ["users.id"],
            name=op.f("fk_following_feed_follower_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pattern_id"],
            ["patterns.id"],
            name=op.f("fk_following_feed_pattern_id_patterns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "follower_id", "creator_id", "pattern_id", name=op.f("pk_following_feed")
        ),
    )
    op.create_index(
        "ix_following_feed_follower_created",
        "following_feed",
        ["follower_id", "created_at", "pattern_id"],
        postgresql_include=["creator_id"],
    )
    # a pattern's rows, for its update trigger and the cascade of its deletion
    op.create_index("ix_following_feed_pattern", "following_feed", ["pattern_id"])
    op.execute(_PATTERN_FUNCTION)
    op.execute(_FOLLOW_FUNCTION)
    for trigger in _TRIGGERS:
        op.execute(trigger)
    op.execute(_BACKFILL)


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER follows_following_feed ON follows")
    op.execute("DROP TRIGGER patterns_following_feed_update ON patterns")
    op.execute("DROP TRIGGER patterns_following_feed_insert ON patterns")
    op.execute("DROP FUNCTION following_feed_follow_changed()")
    op.execute("DROP FUNCTION following_feed_pattern_changed()")
    op.drop_table("following_feed")
