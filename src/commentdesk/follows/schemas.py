"""I/O shapes of follows and of what is new for a reader."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from commentdesk.comments.schemas import CommentView
from commentdesk.stories.schemas import StoryView


class FollowState(BaseModel):
    story_id: int
    comment_id: int | None = Field(description="None when the whole story is followed.")
    is_following: bool


class ActivityKind(StrEnum):
    REPLY = "reply"  # a reply to one of the reader's own comments
    THREAD = "thread"  # a reply under a comment the reader follows
    STORY = "story"  # a new comment on a story the reader follows


class ActivityItem(BaseModel):
    kind: ActivityKind
    comment: CommentView
    story: StoryView


class Activity(BaseModel):
    """What is new for the reader on the story's site since their last visit, newest first."""

    since: datetime = Field(description="Where this visit's news starts: the previous visit's end.")
    items: list[ActivityItem]
    has_more: bool = Field(description="More happened than `items` holds.")
