"""The one place a comment's status changes: checks the move, keeps the public counts right, and
writes the ModerationAction audit row. Takes the caller's session; opens none of its own."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from commentdesk import events
from commentdesk.accounts.models import Account
from commentdesk.comments.models import Comment, CommentStatus
from commentdesk.errors import Conflict
from commentdesk.moderation.models import ModerationAction
from commentdesk.stories.models import Story

Status = CommentStatus

ALLOWED_MOVES: dict[Status | None, frozenset[Status]] = {
    None: frozenset({Status.PENDING, Status.APPROVED, Status.WITHHELD, Status.REJECTED}),
    Status.PENDING: frozenset({Status.APPROVED, Status.REJECTED, Status.WITHHELD, Status.DELETED}),
    Status.WITHHELD: frozenset({Status.APPROVED, Status.REJECTED, Status.DELETED}),
    Status.APPROVED: frozenset({Status.REJECTED, Status.WITHHELD, Status.DELETED}),
    Status.REJECTED: frozenset({Status.APPROVED, Status.DELETED}),
    Status.DELETED: frozenset(),
}


def can_move(from_status: Status | None, to_status: Status) -> bool:
    """Whether a comment may go from `from_status` (None: not yet stored) to `to_status`."""
    return to_status in ALLOWED_MOVES[from_status]


def transition(
    session: Session,
    comment: Comment,
    *,
    to_status: Status,
    actor: Account | None,
    action: str,
    now: datetime,
    reason_code: str | None = None,
    message: str | None = None,
) -> ModerationAction:
    """Move `comment` to `to_status` and audit it. `comment` may be new (not yet flushed)."""
    from_status = Status(comment.status) if comment.id is not None else None
    if not can_move(from_status, to_status):
        raise Conflict(
            f"A {from_status or 'new'} comment cannot become {to_status}.",
            details={"from": from_status, "to": to_status},
        )
    comment.status = to_status
    comment.status_reason = message
    audit = _audit(session, comment, from_status, actor, action, now, reason_code, message)
    session.flush()
    _adjust_counts(session, comment, was_public=from_status == Status.APPROVED)
    events.record(
        session, events.CommentWasChanged(story_id=comment.story_id, comment_id=comment.id)
    )
    return audit


def confirm(
    session: Session,
    comment: Comment,
    *,
    actor: Account | None,
    action: str,
    now: datetime,
    reason_code: str | None = None,
    message: str | None = None,
) -> ModerationAction:
    """Audit a decision that leaves the status as it is (approving a reported public comment)."""
    audit = _audit(session, comment, comment.status, actor, action, now, reason_code, message)
    session.flush()
    return audit


def _audit(
    session: Session,
    comment: Comment,
    from_status: str | None,
    actor: Account | None,
    action: str,
    now: datetime,
    reason_code: str | None,
    message: str | None,
) -> ModerationAction:
    audit = ModerationAction(
        comment=comment,
        actor_id=actor.id if actor else None,
        action=action,
        from_status=from_status,
        to_status=comment.status,
        reason_code=reason_code,
        message=message,
        created_at=now,
    )
    session.add(audit)
    return audit


def _adjust_counts(session: Session, comment: Comment, *, was_public: bool) -> None:
    change = int(comment.status == Status.APPROVED) - int(was_public)
    if change == 0:
        return
    # Counts move with SQL arithmetic, not read-modify-write, so concurrent posts never lose one.
    session.execute(
        update(Story)
        .where(Story.id == comment.story_id)
        .values(comment_count=Story.comment_count + change)
    )
    if comment.parent_id is not None:
        session.execute(
            update(Comment)
            .where(Comment.id == comment.parent_id)
            .values(reply_count=Comment.reply_count + change)
        )
