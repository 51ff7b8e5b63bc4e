"""Moderation use cases: reader reports, a moderator's decision, and the basic queues."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from commentdesk.accounts.models import Account
from commentdesk.comments import status
from commentdesk.comments.models import Comment, CommentStatus
from commentdesk.errors import Conflict, PermissionDenied
from commentdesk.moderation.models import Flag, FlagStatus
from commentdesk.moderation.schemas import (
    DecisionAction,
    DecisionDraft,
)

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


def require_moderator(account: Account, *, site_id: int | None = None) -> None:
    """Moderators only; with `site_id`, only those who moderate that site."""
    if not account.is_moderator:
        raise PermissionDenied("Only moderators can do this.")
    if site_id is not None and not account.moderates(site_id):
        raise PermissionDenied("You do not moderate this site.", details={"site_id": site_id})
