"""Comment input and output shapes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from commentdesk.accounts.schemas import AccountView, AuthorView
from commentdesk.sites.schemas import SitePublicView
from commentdesk.stories.schemas import StoryView
from commentdesk.textfields import CommentBody, StoryUrl


class ThreadSort(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    TOP = "top"
    REPLIES = "replies"
    # The current text's constructiveness (unscored counts as 0.5), then reactions, then newest.
    BEST = "best"


class CommentDraft(BaseModel):
    """A new comment or reply, as the widget sends it."""

    model_config = ConfigDict(extra="forbid")

    story_url: StoryUrl
    parent_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    body: CommentBody


class CommentEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: CommentBody


class PreviewDraft(BaseModel):
    """A draft's Markdown, to see it as it would be published."""

    model_config = ConfigDict(extra="forbid")

    body: CommentBody


class PreviewView(BaseModel):
    html: str = Field(description="The draft rendered and sanitised exactly as on posting.")


class CommentView(BaseModel):
    """One comment as readers see it; a tombstone keeps its place but shows no author or text."""

    id: int
    parent_id: int | None
    author: AuthorView | None
    html: str
    status: str
    created_at: datetime
    edited_at: datetime | None
    reaction_count: int
    reply_count: int
    is_featured: bool = False
    is_tombstone: bool = False
    reason: str | None = None
    body: str | None = Field(
        default=None, description="The Markdown source; only in the author's and moderators' views."
    )
    replies: list[CommentView] = Field(default_factory=list)


class ThreadPage(BaseModel):
    """One page of a story's public thread: identical for every viewer, so it is cacheable."""

    story: StoryView
    site: SitePublicView
    comments: list[CommentView]
    next_cursor: str | None
    featured: list[CommentView] = Field(
        default_factory=list,
        description="The editors' picks among the top-level comments, newest first (first page "
        "only); they also stand in their own place in the thread.",
    )


class ViewerOverlay(BaseModel):
    """What only the signed-in viewer sees on a story: their non-public comments and their state."""

    account: AccountView
    comments: list[CommentView]
    reacted: list[int]
    reported: list[int]
    following_story: bool = False
    followed: list[int] = Field(
        default_factory=list, description="The story's comments whose replies the viewer follows."
    )


class ReactionState(BaseModel):
    reaction_count: int
    reacted: bool


class StoryCounts(BaseModel):
    counts: dict[str, int]
