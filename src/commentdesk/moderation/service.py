"""Moderation use cases: reader reports, a moderator's decision, and the basic queues."""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import partial

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from commentdesk.accounts.models import Account, Role
from commentdesk.comments import service as comments
from commentdesk.comments import status
from commentdesk.comments.models import Comment, CommentStatus
from commentdesk.errors import CommentdeskError, Conflict, NotFound, PermissionDenied
from commentdesk.moderation.models import Flag, FlagStatus, ModerationAction
from commentdesk.moderation.schemas import BulkResult, BulkSkip, DecisionAction, DecisionDraft
from commentdesk.sites.models import Site

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
    session: Session,
    *,
    comment: Comment,
    moderator: Account,
    draft: DecisionDraft,
    now: datetime,
    batch_id: str | None = None,
) -> None:
    """A moderator approves, rejects, features or unfeatures a comment. Approving or rejecting
    resolves its open reports (dismissed or upheld), which is its reporters' track record."""
    require_moderator(moderator, site_id=comment.site_id)
    if comment.status == CommentStatus.DELETED:
        raise Conflict("The author has deleted this comment.")
    if draft.action in (DecisionAction.FEATURE, DecisionAction.UNFEATURE):
        _feature(
            session, comment=comment, moderator=moderator, draft=draft, now=now, batch_id=batch_id
        )
        return
    if draft.action == DecisionAction.APPROVE:
        target, reason, message = CommentStatus.APPROVED, None, draft.message
        outcome = FlagStatus.DISMISSED
    else:
        reason = draft.reason or "other"
        target, message = CommentStatus.REJECTED, draft.message or REJECTION_MESSAGES[reason]
        outcome = FlagStatus.UPHELD
    session.execute(
        update(Flag)
        .where(Flag.comment_id == comment.id, Flag.status == FlagStatus.OPEN)
        .values(status=outcome, resolved_at=now)
    )
    # Approving a reported, already public comment is a decision too: it is audited as one.
    record = (
        status.confirm if comment.status == target else partial(status.transition, to_status=target)
    )
    record(
        session,
        comment,
        actor=moderator,
        action=str(draft.action),
        now=now,
        reason_code=reason,
        message=message,
        batch_id=batch_id,
    )


def _feature(
    session: Session,
    *,
    comment: Comment,
    moderator: Account,
    draft: DecisionDraft,
    now: datetime,
    batch_id: str | None,
) -> None:
    is_featured = draft.action == DecisionAction.FEATURE
    if is_featured and comment.status != CommentStatus.APPROVED:
        raise Conflict("Only a published comment can be featured.")
    comment.is_featured = is_featured
    status.confirm(
        session, comment, actor=moderator, action=str(draft.action), now=now, batch_id=batch_id
    )
    session.flush()


def decide_many(
    session: Session,
    *,
    comment_ids: list[int],
    moderator: Account,
    draft: DecisionDraft,
    now: datetime,
) -> BulkResult:
    """One decision on many comments, as one batch that `undo_batch` can take back. Comments
    the moderator may not see or decide are skipped with the reason, the rest go ahead."""
    require_moderator(moderator)
    batch_id = uuid.uuid4().hex
    decided: list[int] = []
    skipped: list[BulkSkip] = []
    for comment_id in dict.fromkeys(comment_ids):
        try:
            with session.begin_nested():
                comment = comments.get_comment(session, comment_id=comment_id, viewer=moderator)
                decide(
                    session,
                    comment=comment,
                    moderator=moderator,
                    draft=draft,
                    now=now,
                    batch_id=batch_id,
                )
        except CommentdeskError as error:
            skipped.append(BulkSkip(comment_id=comment_id, code=error.code, message=error.message))
        else:
            decided.append(comment_id)
    return BulkResult(batch_id=batch_id, decided=decided, skipped=skipped)


def undo_batch(session: Session, *, batch_id: str, moderator: Account, now: datetime) -> BulkResult:
    """Take back a batch of decisions: each comment returns to the status it had and its
    reports reopen, unless it changed again since (then it is skipped)."""
    require_moderator(moderator)
    actions = list(
        session.scalars(select(ModerationAction).where(ModerationAction.batch_id == batch_id))
    )
    if not actions:
        raise NotFound("No decisions with this batch id.", details={"batch_id": batch_id})
    undo_id = uuid.uuid4().hex
    decided: list[int] = []
    skipped: list[BulkSkip] = []
    for action in actions:
        comment = session.get_one(Comment, action.comment_id)
        try:
            with session.begin_nested():
                require_moderator(moderator, site_id=comment.site_id)
                _undo_one(
                    session,
                    comment=comment,
                    action=action,
                    moderator=moderator,
                    now=now,
                    undo_id=undo_id,
                )
        except CommentdeskError as error:
            skipped.append(BulkSkip(comment_id=comment.id, code=error.code, message=error.message))
        else:
            decided.append(comment.id)
    return BulkResult(batch_id=undo_id, decided=decided, skipped=skipped)


def _undo_one(
    session: Session,
    *,
    comment: Comment,
    action: ModerationAction,
    moderator: Account,
    now: datetime,
    undo_id: str,
) -> None:
    if action.action in (DecisionAction.FEATURE, DecisionAction.UNFEATURE):
        back = (
            DecisionAction.UNFEATURE
            if action.action == DecisionAction.FEATURE
            else (DecisionAction.FEATURE)
        )
        _feature(
            session,
            comment=comment,
            moderator=moderator,
            draft=DecisionDraft(action=back),
            now=now,
            batch_id=undo_id,
        )
        return
    if comment.status != action.to_status:
        raise Conflict("The comment has changed since; its decision stands.")
    session.execute(
        update(Flag)
        .where(Flag.comment_id == comment.id, Flag.resolved_at == action.created_at)
        .values(status=FlagStatus.OPEN, resolved_at=None)
    )
    if action.from_status is None or action.from_status == action.to_status:
        status.confirm(session, comment, actor=moderator, action="undo", now=now, batch_id=undo_id)
    else:
        status.transition(
            session,
            comment,
            to_status=CommentStatus(action.from_status),
            actor=moderator,
            action="undo",
            now=now,
            batch_id=undo_id,
        )


def require_moderator(account: Account, *, site_id: int | None = None) -> None:
    """Moderators only; with `site_id`, only those who moderate that site."""
    if not account.is_moderator:
        raise PermissionDenied("Only moderators can do this.")
    if site_id is not None and not account.moderates(site_id):
        raise PermissionDenied("You do not moderate this site.", details={"site_id": site_id})


def moderated_sites(session: Session, *, moderator: Account) -> list[Site]:
    """The sites `moderator` may work on, by name."""
    require_moderator(moderator)
    query = select(Site).order_by(Site.name, Site.id)
    if moderator.role != Role.ADMIN and moderator.moderated_site_ids:
        query = query.where(Site.id.in_(moderator.moderated_site_ids))
    return list(session.scalars(query))
