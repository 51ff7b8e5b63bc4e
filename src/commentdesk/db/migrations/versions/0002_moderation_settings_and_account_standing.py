"""moderation settings and account standing

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 13:23:16.190718
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import commentdesk.db.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("until", commentdesk.db.base.UTCDateTime(), nullable=True),
        sa.Column("created_at", commentdesk.db.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_account_actions_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["accounts.id"],
            name=op.f("fk_account_actions_actor_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_actions")),
    )
    with op.batch_alter_table("account_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_account_actions_account_id"), ["account_id"], unique=False
        )
    op.create_table(
        "moderator_sites",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_moderator_sites_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_moderator_sites_site_id_sites"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "site_id", name=op.f("pk_moderator_sites")),
    )
    op.create_table(
        "site_settings",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("moderation", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_site_settings_site_id_sites"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_site_settings")),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("suspended_until", commentdesk.db.base.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("is_premoderated", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reasons", sa.JSON(), nullable=True))

    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weight", sa.Float(), nullable=False, server_default="0"))

    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch_id", sa.String(length=32), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_moderation_actions_batch_id"), ["batch_id"], unique=False
        )

    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_featured", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index(
            "ix_comments_author_created", ["author_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_comments_status_id", ["status", "id"], unique=False)

    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("settings_version", sa.Integer(), nullable=False, server_default="1")
        )


def downgrade() -> None:
    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_moderation_actions_batch_id"))
        batch_op.drop_column("batch_id")

    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.drop_column("weight")

    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_status_id")
        batch_op.drop_index("ix_comments_author_created")
        batch_op.drop_column("is_featured")

    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_column("settings_version")

    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.drop_column("reasons")

    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("is_premoderated")
        batch_op.drop_column("suspended_until")

    op.drop_table("site_settings")
    op.drop_table("moderator_sites")
    op.drop_table("account_actions")
