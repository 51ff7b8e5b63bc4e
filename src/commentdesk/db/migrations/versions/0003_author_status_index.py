"""comments by author and status, for the desk's author standing

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 15:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every queue item shows its author's published, rejected and waiting counts: with status
    # in the author index they are an index-only count, not a read of each of a prolific
    # author's comments. Widening the existing index, not adding one, keeps posting as cheap.
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_author_story")
        batch_op.create_index(
            "ix_comments_author_story_status", ["author_id", "story_id", "status"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_author_story_status")
        batch_op.create_index("ix_comments_author_story", ["author_id", "story_id"], unique=False)
