"""Moderation use cases: reader reports, a moderator's decision, and the basic queues."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from commentdesk.accounts.models import Account, Role
from commentdesk.comments import status
from commentdesk.comments.models import Comment, CommentStatus
from commentdesk.comments.thread import comment_view
from commentdesk.errors import Conflict, InvalidInput, PermissionDenied
from commentdesk.moderation.models import Flag, FlagStatus, ModerationAction
from commentdesk.moderation.schemas import (
    DecisionAction,
    DecisionDraft,
    QueueItem,
    QueuePage,
    ReasonView,
    ReportView,
)
from commentdesk.stories.models import Story

REJECTION_MESSAGES = {
    "abusive": "Removed by the editors: it breaks our policy on abuse.",
    "spam": "Removed by the editors as spam.",
    "off_topic": "Removed by the editors: it does not advance the story.",
    "banned_word": "Removed by the editors: it uses language our policy does not allow.",
    "harassment": "Removed by the editors: it harasses another person.",
    "hate": "Removed by the editors: it attacks people for who they are.",
    "misinformation": "Removed by the editors: it spreads claims we know to be false.",
    "other": "Removed by the editors: it breaks our comment policy.",
}
QUEUES = ("pending", "withheld", "reported")


def decide(
    session: Session, *, comment: Comment, moderator: Account, draft: DecisionDraft, now: datetime
) -> None:
    """A moderator approves or rejects a comment; its open reports are resolved accordingly."""
    require_moderator(moderator, site_id=comment.site_id)
    if draft.action == DecisionAction.APPROVE:
        target, reason, message = CommentStatus.APPROVED, None, draft.message
        outcome = FlagStatus.DISMISSED
    else:
        reason = draft.reason or "other"
        target, message = CommentStatus.REJECTED, draft.message or REJECTION_MESSAGES[reason]
        outcome = FlagStatus.UPHELD
    if comment.status == CommentStatus.DELETED:
        raise Conflict("The author has deleted this comment.")
    session.execute(
        update(Flag)
        .where(Flag.comment_id == comment.id, Flag.status == FlagStatus.OPEN)
        .values(status=outcome, resolved_at=now)
    )
    if comment.status == target:
        # Approving a reported, already public comment is a decision too: audit it.
        status.confirm(
            session,
            comment,
            actor=moderator,
            action=str(draft.action),
            now=now,
            reason_code=reason,
            message=message,
        )
    else:
        status.transition(
            session,
            comment,
            to_status=target,
            actor=moderator,
            action=str(draft.action),
            now=now,
            reason_code=reason,
            message=message,
        )


def list_queue(session: Session, *, queue: str, moderator: Account, limit: int) -> QueuePage:
    """The oldest items of a queue: `pending` (awaiting review), `withheld` (hidden by the
    system) or `reported` (open reader reports)."""
    require_moderator(moderator)
    if queue == "pending":
        where = Comment.status == CommentStatus.PENDING
    elif queue == "withheld":
        where = Comment.status == CommentStatus.WITHHELD
    elif queue == "reported":
        open_reports = select(Flag.comment_id).where(Flag.status == FlagStatus.OPEN)
        where = Comment.id.in_(open_reports) & (Comment.status != CommentStatus.DELETED)
    else:
        raise InvalidInput("Unknown queue.", details={"queue": queue, "queues": QUEUES})
    if moderator.role != Role.ADMIN and moderator.moderated_site_ids:
        where = where & Comment.site_id.in_(moderator.moderated_site_ids)
    total = session.scalar(select(func.count()).select_from(Comment).where(where)) or 0
    comments = list(session.scalars(select(Comment).where(where).order_by(Comment.id).limit(limit)))
    reports = _open_reports(session, [comment.id for comment in comments])
    reasons = _pipeline_reasons(session, [comment.id for comment in comments])
    stories = {
        story.id: story
        for story in session.scalars(
            select(Story).where(Story.id.in_({comment.story_id for comment in comments}))
        )
    }
    items = [
        QueueItem(
            comment=comment_view(comment, with_reason=True),
            story_url=stories[comment.story_id].url,
            story_title=stories[comment.story_id].title,
            author_email=comment.author.email,
            reports=reports.get(comment.id, []),
            reasons=reasons.get(comment.id, []),
        )
        for comment in comments
    ]
    return QueuePage(queue=queue, count=total, items=items)


def _open_reports(session: Session, comment_ids: list[int]) -> dict[int, list[ReportView]]:
    result: dict[int, list[ReportView]] = {}
    flags = session.scalars(
        select(Flag)
        .where(Flag.comment_id.in_(comment_ids), Flag.status == FlagStatus.OPEN)
        .order_by(Flag.id)
    )
    for flag in flags:
        result.setdefault(flag.comment_id, []).append(
            ReportView(
                id=flag.id,
                comment_id=flag.comment_id,
                reason=flag.reason,
                note=flag.note,
                created_at=flag.created_at,
            )
        )
    return result


def _pipeline_reasons(session: Session, comment_ids: list[int]) -> dict[int, list[ReasonView]]:
    rows = session.execute(
        select(ModerationAction.comment_id, ModerationAction.reasons)
        .where(ModerationAction.comment_id.in_(comment_ids), ModerationAction.reasons.is_not(None))
        .order_by(ModerationAction.id)
    )
    return {
        row.comment_id: [ReasonView.model_validate(reason) for reason in row.reasons or []]
        for row in rows
    }


def require_moderator(account: Account, *, site_id: int | None = None) -> None:
    """Moderators only; with `site_id`, only those who moderate that site."""
    if not account.is_moderator:
        raise PermissionDenied("Only moderators can do this.")
    if site_id is not None and not account.moderates(site_id):
        raise PermissionDenied("You do not moderate this site.", details={"site_id": site_id})
