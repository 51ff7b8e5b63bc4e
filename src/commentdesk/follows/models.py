"""Follow and ReaderVisit tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, text
from sqlalchemy.orm import Mapped, mapped_column

from commentdesk.db.base import Base, UTCDateTime


class Follow(Base):
    """A reader follows a whole story (`comment_id` is None) or the replies to one comment."""

    __tablename__ = "follows"
    __table_args__ = (
        # What a reader follows on a story (their overlay, on every signed-in thread load), and
        # the story's follows when it is deleted.
        Index("ix_follows_story_account", "story_id", "account_id"),
        # One follow per story and one per comment: partial unique indexes, because a plain
        # unique constraint treats every NULL comment_id as distinct.
        Index(
            "uq_follows_account_story",
            "account_id",
            "story_id",
            unique=True,
            sqlite_where=text("comment_id IS NULL"),
            postgresql_where=text("comment_id IS NULL"),
        ),
        Index(
            "uq_follows_account_comment",
            "account_id",
            "comment_id",
            unique=True,
            sqlite_where=text("comment_id IS NOT NULL"),
            postgresql_where=text("comment_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), default=None, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReaderVisit(Base):
    """When a reader last came to a site's threads, and where what is new for them starts.

    A visit is a run of requests with gaps under `follows.service.VISIT_GAP`: within one, what
    is new stays new across reloads; the next visit starts where this one ended."""

    __tablename__ = "reader_visits"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    site_id: Mapped[int] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True
    )
    new_since: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
