"""Moderation input and output shapes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from commentdesk.comments.schemas import CommentView
from commentdesk.moderation.models import ReportReason
from commentdesk.textfields import ShortNote


class ReportDraft(BaseModel):
    """A reader's "Report as abusive"."""

    model_config = ConfigDict(extra="forbid")

    reason: ReportReason
    note: ShortNote | None = None


class ReportView(BaseModel):
    id: int
    comment_id: int
    reason: str
    note: str | None
    created_at: datetime


class DecisionAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class RejectReason(StrEnum):
    ABUSIVE = "abusive"
    SPAM = "spam"
    OFF_TOPIC = "off_topic"
    BANNED_WORD = "banned_word"
    HARASSMENT = "harassment"
    HATE = "hate"
    MISINFORMATION = "misinformation"
    OTHER = "other"


class DecisionDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: DecisionAction
    reason: RejectReason | None = None
    message: ShortNote | None = None


class QueueItem(BaseModel):
    """A comment in a moderation queue with the story it sits under and its open reports."""

    comment: CommentView
    story_url: str
    story_title: str
    author_email: str | None
    reports: list[ReportView]


class QueuePage(BaseModel):
    queue: str
    count: int
    items: list[QueueItem]
