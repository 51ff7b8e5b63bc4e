"""follows and reader visits

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 17:29:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import commentdesk.db.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Readers follow stories and comments' replies; a visit marks where their news starts.
    op.create_table(
        "reader_visits",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("new_since", commentdesk.db.base.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", commentdesk.db.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_reader_visits_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_reader_visits_site_id_sites"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "site_id", name=op.f("pk_reader_visits")),
    )
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("created_at", commentdesk.db.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_follows_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_follows_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name=op.f("fk_follows_story_id_stories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follows")),
    )
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follows_comment_id"), ["comment_id"], unique=False)
        batch_op.create_index("ix_follows_story_account", ["story_id", "account_id"], unique=False)
        batch_op.create_index(
            "uq_follows_account_comment",
            ["account_id", "comment_id"],
            unique=True,
            sqlite_where=sa.text("comment_id IS NOT NULL"),
            postgresql_where=sa.text("comment_id IS NOT NULL"),
        )
        batch_op.create_index(
            "uq_follows_account_story",
            ["account_id", "story_id"],
            unique=True,
            sqlite_where=sa.text("comment_id IS NULL"),
            postgresql_where=sa.text("comment_id IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_follows_account_story",
            sqlite_where=sa.text("comment_id IS NULL"),
            postgresql_where=sa.text("comment_id IS NULL"),
        )
        batch_op.drop_index(
            "uq_follows_account_comment",
            sqlite_where=sa.text("comment_id IS NOT NULL"),
            postgresql_where=sa.text("comment_id IS NOT NULL"),
        )
        batch_op.drop_index("ix_follows_story_account")
        batch_op.drop_index(batch_op.f("ix_follows_comment_id"))

    op.drop_table("follows")
    op.drop_table("reader_visits")
