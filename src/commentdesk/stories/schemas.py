"""Story input and output shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict

from commentdesk.stories.models import Story
from commentdesk.textfields import LongText, StoryUrl, Title


class StoryUpsert(BaseModel):
    """A publisher's CMS creates or updates a story by URL."""

    model_config = ConfigDict(extra="forbid")

    url: StoryUrl
    title: Title
    body_text: LongText | None = None
    published_at: datetime | None = None
    is_closed: bool | None = None
    is_premoderated: bool | None = None


class StoryView(BaseModel):
    id: int
    url: str
    title: str
    is_closed: bool
    comment_count: int

    @classmethod
    def of(cls, story: Story) -> Self:
        return cls.model_validate(story, from_attributes=True)


class StoryRecord(StoryView):
    """The CMS's view of a story, with what readers do not see."""

    body_text: str
    published_at: datetime | None
    is_premoderated: bool | None


class StoryModes(BaseModel):
    """How a story takes comments: open or closed, and pre-moderated or not (None: as its
    site is)."""

    model_config = ConfigDict(extra="forbid")

    is_closed: bool
    is_premoderated: bool | None = None
