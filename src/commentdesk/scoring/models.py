"""RevisionScore: what the scorers said of one revision of a comment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from commentdesk.db.base import Base, UTCDateTime


class RevisionScore(Base):
    """One score of one revision (the text that was scored), with its explanation."""

    __tablename__ = "revision_scores"
    __table_args__ = (
        # A site's score distributions over time, for the assistant's dashboard page.
        Index("ix_revision_scores_site_name_created", "site_id", "name", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("revisions.id", ondelete="CASCADE"), index=True
    )
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
