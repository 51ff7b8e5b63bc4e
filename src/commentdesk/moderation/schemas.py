"""Moderation input and output shapes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from commentdesk.comments.schemas import CommentView
from commentdesk.moderation.models import AccountActionKind, ReportReason
from commentdesk.moderation.policy import Decision
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
    FEATURE = "feature"
    UNFEATURE = "unfeature"


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


class ReasonView(BaseModel):
    """One reason the moderation pipeline gave, as moderators see it."""

    code: str
    phase: str
    message: str
    author_message: str | None
    detail: dict[str, Any]


class QueueItem(BaseModel):
    """A comment in a moderation queue with the story it sits under and its open reports."""

    comment: CommentView
    story_url: str
    story_title: str
    author_email: str | None
    reports: list[ReportView]
    reasons: list[ReasonView] = Field(description="What the moderation pipeline found.")
    priority: float | None = Field(default=None, description="Its score in the priority order.")
    why: list[str] = Field(default_factory=list, description="Why it sits where it does.")


class QueuePage(BaseModel):
    queue: str
    order: str
    count: int
    items: list[QueueItem]


class DraftCheck(BaseModel):
    """What the moderation pipeline would do with a draft, in the words shown to its author."""

    outcome: str = Field(description="approve, hold, withhold, reject or refuse.")
    messages: list[str] = Field(description="Why, in the site's words, most important first.")

    @classmethod
    def of(cls, decision: Decision) -> DraftCheck:
        messages = [reason.author_message for reason in decision.reasons if reason.author_message]
        return cls(outcome=decision.verdict, messages=list(dict.fromkeys(messages)))


class AccountActionDraft(BaseModel):
    """A moderator's action on an account."""

    model_config = ConfigDict(extra="forbid")

    action: AccountActionKind
    reason: ShortNote | None = None
    until: datetime | None = Field(
        default=None, description="End of a suspension (required for `suspend`)."
    )


class AccountActionView(BaseModel):
    id: int
    action: str
    actor_id: int | None
    reason: str | None
    until: datetime | None
    created_at: datetime


class ReportRecord(BaseModel):
    """How an account's reports fared, and what its next report will weigh."""

    upheld: int
    dismissed: int
    open: int
    weight: float


class AccountRecord(BaseModel):
    """An account as moderators see it: standing, comments by status, reports, past actions."""

    id: int
    name: str
    email: str | None
    role: str
    status: str
    suspended_until: datetime | None
    is_premoderated: bool
    created_at: datetime
    comments_by_status: dict[str, int]
    reports: ReportRecord
    actions: list[AccountActionView]
    recent_comments: list[CommentView]


class AuditEntry(BaseModel):
    """One status change of a comment: who, when, from, to and why."""

    id: int
    comment_id: int
    site_id: int
    actor_id: int | None
    action: str
    from_status: str | None
    to_status: str
    reason_code: str | None
    message: str | None
    created_at: datetime


class AuditPage(BaseModel):
    entries: list[AuditEntry]
    next_before: int | None = Field(description="Pass as `before` for the next, older page.")


class BulkDecisionDraft(DecisionDraft):
    """One decision on up to 200 comments."""

    comment_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        min_length=1, max_length=200
    )


class BulkSkip(BaseModel):
    comment_id: int
    code: str
    message: str


class BulkResult(BaseModel):
    """What a bulk decision or an undo did; `batch_id` undoes it."""

    batch_id: str
    decided: list[int]
    skipped: list[BulkSkip]


class SiteAssignment(BaseModel):
    """The sites a moderator is limited to; an empty list means every site."""

    model_config = ConfigDict(extra="forbid")

    site_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(max_length=1000)
