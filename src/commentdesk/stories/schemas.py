"""Story input and output shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from commentdesk.stories.models import Story
from commentdesk.textfields import LongText, StoryUrl, Title

# The page's text is cut to this by the widget; more is refused.
PAGE_TEXT_LIMIT = 20_000


class PageStoryText(BaseModel):
    """The story's text as the publisher's page shows it, sent by the widget."""

    model_config = ConfigDict(extra="forbid")

    url: StoryUrl
    text: Annotated[str, StringConstraints(min_length=1, max_length=PAGE_TEXT_LIMIT)]


class StoryTextState(BaseModel):
    stored: bool = Field(description="False when the story already had its text.")


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
    has_text: bool = Field(
        default=False,
        description="Whether the story's text is known; when it is not, the widget may send it "
        "from the page (`POST /api/v1/threads/story-text`).",
    )

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
