"""Account and AccessToken tables, and the Role and AccountStatus enums."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commentdesk.db.base import Base, UTCDateTime


class Role(StrEnum):
    COMMENTER = "commenter"
    STAFF = "staff"
    MODERATOR = "moderator"
    ADMIN = "admin"


class AccountStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    BANNED = "banned"


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("site_id", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(80))
    # Local accounts sign in with login_email; SSO accounts have none and are keyed by
    # (site_id, external_id), the user id at the publisher.
    login_email: Mapped[str | None] = mapped_column(String(320), unique=True, default=None)
    email: Mapped[str | None] = mapped_column(String(320), default=None)
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), default=None
    )
    external_id: Mapped[str | None] = mapped_column(String(200), default=None)
    role: Mapped[str] = mapped_column(String(20), default=Role.COMMENTER)
    status: Mapped[str] = mapped_column(String(20), default=AccountStatus.ACTIVE)
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    is_premoderated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    # The sites a moderator is limited to; none means every site.
    moderated_sites: Mapped[list[ModeratorSite]] = relationship(
        cascade="all, delete-orphan", lazy="select"
    )

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)

    def moderates(self, site_id: int) -> bool:
        """Whether this account may moderate the site: admins everywhere, moderators on the
        sites assigned to them (every site when none is), nobody else anywhere."""
        if self.role == Role.ADMIN:
            return True
        if self.role != Role.MODERATOR:
            return False
        assigned = self.moderated_site_ids
        return not assigned or site_id in assigned

    @property
    def moderated_site_ids(self) -> frozenset[int]:
        return frozenset(link.site_id for link in self.moderated_sites)

    @property
    def is_active(self) -> bool:
        return self.status == AccountStatus.ACTIVE


class ModeratorSite(Base):
    """A site a moderator is assigned to."""

    __tablename__ = "moderator_sites"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    site_id: Mapped[int] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True
    )


class AccessToken(Base):
    """A bearer token; only its SHA-256 is stored, so a database leak yields no usable token."""

    __tablename__ = "access_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
