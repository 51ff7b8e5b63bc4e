"""The one place a comment's status changes: checks the move, keeps the public counts right, and
writes the ModerationAction audit row. Takes the caller's session; opens none of its own."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

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
    # Withheld to pending: scored after the write, and the scores call for a person.
    Status.WITHHELD: frozenset({Status.APPROVED, Status.PENDING, Status.REJECTED, Status.DELETED}),
    # Back to pending or withheld only when a moderator undoes their own decision.
    Status.APPROVED: frozenset({Status.REJECTED, Status.WITHHELD, Status.PENDING, Status.DELETED}),
    Status.REJECTED: frozenset({Status.APPROVED, Status.PENDING, Status.WITHHELD, Status.DELETED}),
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
    reasons: list[dict[str, Any]] | None = None,
    batch_id: str | None = None,
) -> None:
    """Move `comment` to `to_status` and audit it, with the moderation pipeline's `reasons` when
    there are any. `comment` may be new (not yet stored)."""
    from_status = Status(comment.status) if comment.id is not None else None
    if not can_move(from_status, to_status):
        raise Conflict(
            f"A {from_status or 'new'} comment cannot become {to_status}.",
            details={"from": from_status, "to": to_status},
        )
    comment.status = to_status
    comment.status_reason = message
    if from_status is None:
        _insert(session, comment)
    else:
        session.flush()
    _audit(
        session, comment, from_status, actor, action, now, reason_code, message, reasons, batch_id
    )
    _adjust_counts(session, comment, was_public=from_status == Status.APPROVED)
    _record_change(session, comment)


def _record_change(session: Session, comment: Comment) -> None:
    events.record(
        session,
        events.CommentWasChanged(
            site_id=comment.site_id,
            story_id=comment.story_id,
            comment_id=comment.id,
            status=comment.status,
        ),
    )


def _insert(session: Session, comment: Comment) -> None:
    # A new comment is written with one INSERT ... RETURNING and then attached as if loaded: the
    # unit of work's flush for a self-referencing table is the largest single cost of a post.
    table = cast(Table, Comment.__table__)
    values = {column.key: getattr(comment, column.key) for column in table.columns}
    del values["id"]
    author = comment.author
    comment.id = session.execute(_INSERT_COMMENT, values).scalar_one()
    make_transient_to_detached(comment)
    session.add(comment)
    set_committed_value(comment, "author", author)


def confirm(
    session: Session,
    comment: Comment,
    *,
    actor: Account | None,
    action: str,
    now: datetime,
    reason_code: str | None = None,
    message: str | None = None,
    batch_id: str | None = None,
) -> None:
    """Audit a decision that leaves the status as it is (approving a reported public comment,
    featuring one)."""
    _audit(
        session, comment, comment.status, actor, action, now, reason_code, message, None, batch_id
    )
    # Still an event: the comment may leave a queue (its reports resolved) or become featured.
    _record_change(session, comment)


# Table-level statements with bound parameters compile once; `insert(Model).values(...)` would
# build and key a new statement on every call.
_INSERT_AUDIT = insert(cast(Table, ModerationAction.__table__))
_INSERT_COMMENT = insert(cast(Table, Comment.__table__)).returning(Comment.__table__.c.id)
_COUNT_STORY = (
    update(cast(Table, Story.__table__))
    .where(Story.__table__.c.id == bindparam("target_id"))
    .values(comment_count=Story.__table__.c.comment_count + bindparam("change"))
)
_COUNT_PARENT = (
    update(cast(Table, Comment.__table__))
    .where(Comment.__table__.c.id == bindparam("target_id"))
    .values(reply_count=Comment.__table__.c.reply_count + bindparam("change"))
)


def _audit(
    session: Session,
    comment: Comment,
    from_status: str | None,
    actor: Account | None,
    action: str,
    now: datetime,
    reason_code: str | None,
    message: str | None,
    reasons: list[dict[str, Any]] | None,
    batch_id: str | None,
) -> None:
    # A plain INSERT: the audit row is never read back in the same unit of work, and skipping the
    # ORM's unit of work for it is a measurable share of the cost of posting.
    session.execute(
        _INSERT_AUDIT,
        {
            "comment_id": comment.id,
            "actor_id": actor.id if actor else None,
            "action": action,
            "from_status": from_status,
            "to_status": comment.status,
            "reason_code": reason_code,
            "message": message,
            "reasons": reasons,
            "batch_id": batch_id,
            "created_at": now,
        },
    )


def _adjust_counts(session: Session, comment: Comment, *, was_public: bool) -> None:
    change = int(comment.status == Status.APPROVED) - int(was_public)
    if change == 0:
        return
    # Counts move with SQL arithmetic, not read-modify-write, so concurrent posts never lose one.
    # Loaded copies are expired rather than re-evaluated in Python.
    session.execute(_COUNT_STORY, {"target_id": comment.story_id, "change": change})
    _expire_loaded(session, Story, comment.story_id, "comment_count")
    if comment.parent_id is not None:
        session.execute(_COUNT_PARENT, {"target_id": comment.parent_id, "change": change})
        _expire_loaded(session, Comment, comment.parent_id, "reply_count")


def _expire_loaded(session: Session, model: type[Story | Comment], id: int, name: str) -> None:
    loaded = session.identity_map.get(identity_key(model, id))
    if loaded is not None:
        session.expire(loaded, [name])
