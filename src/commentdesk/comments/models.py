"""Comment, Revision and Reaction tables, and the CommentStatus enum."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commentdesk.accounts.models import Account
from commentdesk.db.base import Base, UTCDateTime


class CommentStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHHELD = "withheld"
    DELETED = "deleted"


class ReactionKind(StrEnum):
    RESPECT = "respect"


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_story_top", "story_id", "parent_id", "status", "id"),
        Index("ix_comments_root_id", "root_id"),
        # An author's comments on a story (their own view of a thread), and, index-only, an
        # author's comments by status (the standing the desk shows beside every queue item).
        Index("ix_comments_author_story_status", "author_id", "story_id", "status"),
        # Moderation queues are lists of comments in one status, oldest or newest first.
        Index("ix_comments_status_id", "status", "id"),
        # Rate limits and repeat checks look at one author's latest comments.
        Index("ix_comments_author_created", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), default=None
    )
    # The top-level comment of this one's thread (None for a top-level comment), so one indexed
    # query fetches every reply under a page of top-level comments.
    root_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), default=None
    )
    depth: Mapped[int] = mapped_column(Integer, default=0)
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=CommentStatus.PENDING)
    status_reason: Mapped[str | None] = mapped_column(String(500), default=None)
    is_featured: Mapped[bool] = mapped_column(Boolean, default=False)
    reaction_count: Mapped[int] = mapped_column(Integer, default=0)
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    author: Mapped[Account] = relationship(lazy="joined")


class Revision(Base):
    """One version of a comment's body; every post and every edit writes one."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    editor_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), default=None
    )
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Reaction(Base):
    __tablename__ = "reactions"
    __table_args__ = (UniqueConstraint("comment_id", "account_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20), default=ReactionKind.RESPECT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
