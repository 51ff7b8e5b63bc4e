"""Flag (reader reports and machine detections) and ModerationAction (the audit log)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from commentdesk.db.base import Base, UTCDateTime


class ReportReason(StrEnum):
    ABUSIVE = "abusive"
    SPAM = "spam"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


class FlagSource(StrEnum):
    READER = "reader"
    SYSTEM = "system"


class FlagStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class Flag(Base):
    __tablename__ = "flags"
    # One report per reader per comment; machine flags have no account and are not limited here.
    __table_args__ = (
        UniqueConstraint("comment_id", "account_id"),
        Index("ix_flags_status_comment", "status", "comment_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", ondelete="SET NULL"), default=None
    )
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), default=None, index=True
    )
    source: Mapped[str] = mapped_column(String(20), default=FlagSource.READER)
    reason: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(500), default=None)
    status: Mapped[str] = mapped_column(String(20), default=FlagStatus.OPEN)
    # A reader report's weight when made (policy.reporter_weight); machine flags weigh 0.
    weight: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class ModerationAction(Base):
    """One audit row per status change of a comment: who, when, from, to and why."""

    __tablename__ = "moderation_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), default=None
    )
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20), default=None)
    to_status: Mapped[str] = mapped_column(String(20))
    reason_code: Mapped[str | None] = mapped_column(String(40), default=None)
    message: Mapped[str | None] = mapped_column(Text, default=None)
    # Every reason the moderation pipeline gave: code, phase, message, detail.
    reasons: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)
    # Decisions made together (a bulk decision) share a batch id, which undoes them together.
    batch_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class SiteSettings(Base):
    """A site's moderation settings (commentdesk.moderation.settings.ModerationSettings) as JSON.
    A table of its own: word lists can be large and most reads of a site never need them."""

    __tablename__ = "site_settings"

    site_id: Mapped[int] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True
    )
    moderation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AccountActionKind(StrEnum):
    BAN = "ban"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    PREMODERATE = "premoderate"
    UNPREMODERATE = "unpremoderate"
    WARN = "warn"
    NOTE = "note"


class AccountAction(Base):
    """A moderator's action on an account (ban, suspension, warning, note...): the account's
    side of the audit log."""

    __tablename__ = "account_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), default=None
    )
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
