"""Site and SiteOrigin tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commentdesk.db.base import Base, UTCDateTime

DEFAULT_POLICY = (
    "We welcome comments that advance the story through relevant opinion, anecdotes, links and "
    "data. If you see a comment that you believe is irrelevant or inappropriate, you can flag it "
    "to our editors by using the report link."
)
DEFAULT_DISCLAIMER = (
    "Comments are the opinions of their authors, not of this publication. Editors may remove "
    "comments that break the policy above."
)


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    policy_text: Mapped[str] = mapped_column(Text, default=DEFAULT_POLICY)
    disclaimer_text: Mapped[str] = mapped_column(Text, default=DEFAULT_DISCLAIMER)
    is_premoderated: Mapped[bool] = mapped_column(Boolean, default=False)
    edit_window_seconds: Mapped[int] = mapped_column(Integer, default=600)
    api_key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sso_secret: Mapped[str | None] = mapped_column(String(512), default=None)
    sso_public_key: Mapped[str | None] = mapped_column(Text, default=None)
    # Bumped on every change to the site's moderation settings, so compiled word lists can be
    # cached per (site, version) without loading the settings on every post.
    settings_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    origins: Mapped[list[SiteOrigin]] = relationship(
        back_populates="site", cascade="all, delete-orphan"
    )

    @property
    def allowed_origins(self) -> list[str]:
        return sorted(origin.origin for origin in self.origins)


class SiteOrigin(Base):
    """An origin (scheme://host[:port]) whose pages may embed the site's threads."""

    __tablename__ = "site_origins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    origin: Mapped[str] = mapped_column(String(300), unique=True)

    site: Mapped[Site] = relationship(back_populates="origins")
