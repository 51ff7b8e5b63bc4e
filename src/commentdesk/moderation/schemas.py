"""Moderation input and output shapes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from commentdesk.comments.schemas import CommentView
from commentdesk.moderation.models import AccountActionKind, ModerationAction, ReportReason
from commentdesk.moderation.policy import Decision
from commentdesk.stories.schemas import StoryView
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
    weight: float | None = Field(
        default=None, description="What the report weighs (moderators' views only)."
    )


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


class AuthorStanding(BaseModel):
    """What a moderator needs to know at a glance about a comment's author."""

    id: int
    name: str
    role: str
    status: str
    suspended_until: datetime | None
    is_premoderated: bool
    created_at: datetime
    approved: int = Field(description="Their published comments.")
    rejected: int = Field(description="Their rejected comments.")
    waiting: int = Field(description="Their comments waiting for a moderator.")


class QueueItem(BaseModel):
    """A comment in a moderation queue, in context: the story it sits under, the comment it
    answers, its author's standing, its open reports and the pipeline's reasons."""

    comment: CommentView
    story_id: int
    story_url: str
    story_title: str
    author_email: str | None
    author_standing: AuthorStanding | None
    parent: CommentView | None = Field(description="The comment it replies to, if any.")
    reports: list[ReportView]
    reasons: list[ReasonView] = Field(description="What the moderation pipeline found.")
    priority: float | None = Field(default=None, description="Its score in the priority order.")
    why: list[str] = Field(default_factory=list, description="Why it sits where it does.")


class QueuePage(BaseModel):
    queue: str
    order: str
    count: int
    items: list[QueueItem]


class QueueCounts(BaseModel):
    """Each queue's count, exact up to `cap`; the queues in `over_cap` hold more than that."""

    counts: dict[str, int]
    over_cap: list[str]
    cap: int

    def label(self, queue: str) -> str:
        return f"{self.counts[queue]}+" if queue in self.over_cap else str(self.counts[queue])


class CitedClause(BaseModel):
    """The clause of the site's policy a reason cites, in the site's words."""

    key: str
    text: str


class DraftIssue(BaseModel):
    """One thing the pipeline found in a draft, as its author is told it."""

    code: str = Field(description="The reason's stable code (off_topic, link, toxicity, ...).")
    message: str
    clause: CitedClause | None = Field(description="The policy clause it may break, if any.")


class DraftCheck(BaseModel):
    """What the moderation pipeline would do with a draft, in the words shown to its author."""

    outcome: str = Field(description="approve, hold, withhold, reject or refuse.")
    messages: list[str] = Field(description="Why, in the site's words, most important first.")
    issues: list[DraftIssue] = Field(
        default_factory=list,
        description="Each reason with the clause it cites; a comment that would be published "
        "with a flag (off topic, say) has issues though its outcome is approve.",
    )

    @classmethod
    def of(cls, decision: Decision) -> DraftCheck:
        told = [reason for reason in decision.reasons if reason.author_message]
        messages = [reason.author_message for reason in told if reason.author_message]
        issues = {
            (reason.code, reason.author_message): DraftIssue(
                code=reason.code,
                message=reason.author_message or "",
                clause=CitedClause(
                    key=str(reason.detail["clause"]), text=str(reason.detail["clause_text"])
                )
                if "clause" in reason.detail
                else None,
            )
            for reason in told
        }
        return cls(
            outcome=decision.verdict,
            messages=list(dict.fromkeys(messages)),
            issues=list(issues.values()),
        )


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

    @classmethod
    def of(cls, action: ModerationAction, *, site_id: int) -> AuditEntry:
        return cls(
            id=action.id,
            comment_id=action.comment_id,
            site_id=site_id,
            actor_id=action.actor_id,
            action=action.action,
            from_status=action.from_status,
            to_status=action.to_status,
            reason_code=action.reason_code,
            message=action.message,
            created_at=action.created_at,
        )


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


class ThreadEntry(BaseModel):
    """One comment of a story's full thread, at its depth in the reply tree."""

    depth: int
    is_public: bool = Field(description="Whether readers see it.")
    item: QueueItem


class StoryThread(BaseModel):
    """A story's whole thread as moderators see it: what readers see and everything hidden."""

    story: StoryView
    site_id: int
    is_premoderated: bool | None = Field(
        default=None, description="The story's own pre-moderation; None: as its site."
    )
    entries: list[ThreadEntry]
    is_truncated: bool = Field(description="More comments exist than this view shows.")


class ScoreView(BaseModel):
    """One of the moderation assistant's scores of the comment's current text."""

    name: str
    value: float
    explanation: str


class CommentRecord(BaseModel):
    """A comment's full record: the queue item, the assistant's scores of its current text,
    and every decision on it, oldest first."""

    item: QueueItem
    scores: list[ScoreView] = Field(default_factory=list)
    history: list[AuditEntry]


class CampaignMember(BaseModel):
    """One comment of a campaign."""

    comment_id: int
    author_id: int
    author_name: str
    status: str
    posted_at: datetime
    excerpt: str


class CampaignView(BaseModel):
    """Near-identical comments by different accounts on one story within the window: the mark
    of a coordinated campaign. Decide its members at once with `POST /decisions`."""

    site_id: int
    story_id: int
    story_title: str
    story_url: str
    text: str = Field(description="The earliest member's text (an excerpt): what they share.")
    account_count: int
    similarity: float = Field(description="The members' mean cosine similarity, 0 to 1.")
    first_at: datetime
    last_at: datetime
    members: list[CampaignMember]


class CampaignPage(BaseModel):
    """A site's campaigns now, and the settings and scan they were found with."""

    site_id: int
    window_seconds: int
    min_accounts: int
    similarity: float
    scanned: int = Field(description="How many of the latest comments were compared.")
    is_truncated: bool = Field(description="The window held more comments than were compared.")
    campaigns: list[CampaignView]
