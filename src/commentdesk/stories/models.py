"""Story table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commentdesk.db.base import Base, UTCDateTime
from commentdesk.sites.models import Site


class Story(Base):
    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    is_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    # None follows the site's setting; True or False overrides it for this story.
    is_premoderated: Mapped[bool | None] = mapped_column(Boolean, default=None)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    site: Mapped[Site] = relationship(lazy="joined")

    @property
    def has_text(self) -> bool:
        """Whether the story's text is known (from the CMS, or from the page)."""
        return bool(self.body_text)

    @property
    def requires_premoderation(self) -> bool:
        if self.is_premoderated is not None:
            return self.is_premoderated
        return self.site.is_premoderated
