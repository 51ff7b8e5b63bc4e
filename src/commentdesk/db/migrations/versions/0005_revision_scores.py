"""revision scores

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 17:46:56
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import commentdesk.db.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # What the scorers said of each revision of a comment, with their explanations.
    op.create_table(
        "revision_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("explanation", sa.String(length=300), nullable=False),
        sa.Column("created_at", commentdesk.db.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_revision_scores_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["revisions.id"],
            name=op.f("fk_revision_scores_revision_id_revisions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_revision_scores_site_id_sites"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision_scores")),
    )
    with op.batch_alter_table("revision_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_revision_scores_comment_id"), ["comment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_revision_scores_revision_id"), ["revision_id"], unique=False
        )
        batch_op.create_index(
            "ix_revision_scores_site_name_created", ["site_id", "name", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("revision_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_revision_scores_site_name_created")
        batch_op.drop_index(batch_op.f("ix_revision_scores_revision_id"))
        batch_op.drop_index(batch_op.f("ix_revision_scores_comment_id"))

    op.drop_table("revision_scores")
