"""The moderation queues: which comments wait for whom, in which order, and why there.

Queues: pending (awaiting review), withheld (hidden by the system), reported (open reader
reports), unmoderated (published by the system, never seen by a person), approved, rejected;
each for all the moderator's sites, one site, or one story; newest, oldest or priority first."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, exists, func, literal, select
from sqlalchemy.orm import Session

from commentdesk.accounts.models import Account, Role
from commentdesk.comments.models import Comment, CommentStatus
from commentdesk.moderation import items, policy
from commentdesk.moderation.items import Scores
from commentdesk.moderation.models import Flag, FlagSource, FlagStatus, ModerationAction
from commentdesk.moderation.schemas import QueueCounts, QueueItem, QueuePage
from commentdesk.moderation.service import require_moderator
from commentdesk.stories.models import Story

# Priority is scored over at most this many of a queue's oldest items: queues are short in
# practice, and a queue this long is better worked oldest first anyway.
PRIORITY_WINDOW = 5000
# Queue counts are exact up to this; a larger queue shows as "1000+".
COUNT_CAP = 1000


class QueueName(StrEnum):
    PENDING = "pending"
    WITHHELD = "withheld"
    REPORTED = "reported"
    UNMODERATED = "unmoderated"
    APPROVED = "approved"
    REJECTED = "rejected"


class QueueOrder(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    PRIORITY = "priority"


def list_queue(
    session: Session,
    *,
    queue: QueueName,
    moderator: Account,
    order: QueueOrder = QueueOrder.OLDEST,
    site_id: int | None = None,
    story_id: int | None = None,
    limit: int = 50,
    now: datetime,
) -> QueuePage:
    """One page of a queue, with its total count, scoped to what `moderator` may see."""
    where = _scoped(_membership(queue), moderator, site_id, story_id)
    total = session.scalar(select(func.count()).select_from(Comment).where(where)) or 0
    scores: Scores = {}
    if order == QueueOrder.PRIORITY:
        scores = _priorities(session, where=where, now=now)
        ranked = sorted(scores, key=lambda comment_id: (-scores[comment_id][0], comment_id))
        page_ids = ranked[:limit]
        loaded = {c.id: c for c in session.scalars(select(Comment).where(Comment.id.in_(page_ids)))}
        comments = [loaded[comment_id] for comment_id in page_ids]
    else:
        key = Comment.id.desc() if order == QueueOrder.NEWEST else Comment.id.asc()
        comments = list(session.scalars(select(Comment).where(where).order_by(key).limit(limit)))
    return QueuePage(
        queue=queue, order=order, count=total, items=items.queue_items(session, comments, scores)
    )


def find_in_queue(
    session: Session,
    *,
    queue: QueueName,
    comment_id: int,
    moderator: Account,
    site_id: int | None = None,
    story_id: int | None = None,
    now: datetime,
) -> QueueItem | None:
    """The comment as an item of this queue (with its priority), or None when it is not in it
    or not in the moderator's scope: how a live desk learns whether to show or drop it."""
    where = _scoped(_membership(queue), moderator, site_id, story_id) & (Comment.id == comment_id)
    comment = session.scalars(select(Comment).where(where)).first()
    if comment is None:
        return None
    return items.queue_items(session, [comment], _priorities(session, where=where, now=now))[0]


def count_queues(
    session: Session,
    *,
    moderator: Account,
    site_id: int | None = None,
    story_id: int | None = None,
    cap: int = COUNT_CAP,
) -> QueueCounts:
    """How many comments each queue holds in the moderator's scope, exact up to `cap`: a work
    queue is short, and `approved` on a big site need not be counted to the last comment on
    every live update."""
    counts: dict[str, int] = {}
    over_cap: list[str] = []
    for queue in QueueName:
        where = _scoped(_membership(queue), moderator, site_id, story_id)
        bounded = select(literal(1)).select_from(Comment).where(where).limit(cap + 1).subquery()
        found = session.scalar(select(func.count()).select_from(bounded)) or 0
        if found > cap:
            over_cap.append(queue.value)
        counts[queue.value] = min(found, cap)
    return QueueCounts(counts=counts, over_cap=over_cap, cap=cap)


def _scoped(
    where: ColumnElement[bool], moderator: Account, site_id: int | None, story_id: int | None
) -> ColumnElement[bool]:
    require_moderator(moderator, site_id=site_id)
    if site_id is not None:
        where = where & (Comment.site_id == site_id)
    elif moderator.role != Role.ADMIN and moderator.moderated_site_ids:
        where = where & Comment.site_id.in_(moderator.moderated_site_ids)
    if story_id is not None:
        where = where & (Comment.story_id == story_id)
    return where


def _membership(queue: QueueName) -> ColumnElement[bool]:
    match queue:
        case QueueName.PENDING:
            return Comment.status == CommentStatus.PENDING
        case QueueName.WITHHELD:
            return Comment.status == CommentStatus.WITHHELD
        case QueueName.REPORTED:
            open_reports = select(Flag.comment_id).where(
                Flag.status == FlagStatus.OPEN, Flag.source == FlagSource.READER
            )
            return Comment.id.in_(open_reports) & (Comment.status != CommentStatus.DELETED)
        case QueueName.UNMODERATED:
            seen_by_a_person = exists().where(
                ModerationAction.comment_id == Comment.id, ModerationAction.actor_id.is_not(None)
            )
            return (Comment.status == CommentStatus.APPROVED) & ~seen_by_a_person
        case QueueName.APPROVED:
            return Comment.status == CommentStatus.APPROVED
        case QueueName.REJECTED:
            return Comment.status == CommentStatus.REJECTED


def _priorities(session: Session, *, where: ColumnElement[bool], now: datetime) -> Scores:
    candidates = (
        select(Comment.id).where(where).order_by(Comment.id).limit(PRIORITY_WINDOW).subquery()
    )
    report_weight = (
        select(func.coalesce(func.sum(Flag.weight), 0.0))
        .where(
            Flag.comment_id == Comment.id,
            Flag.status == FlagStatus.OPEN,
            Flag.source == FlagSource.READER,
        )
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Comment.id,
            Comment.created_at,
            Comment.reply_count,
            Comment.reaction_count,
            Story.comment_count,
            report_weight,
        )
        .join(candidates, candidates.c.id == Comment.id)
        .join(Story, Story.id == Comment.story_id)
    ).all()
    machine: dict[int, list[str]] = {}
    for comment_id, reason in session.execute(
        select(Flag.comment_id, Flag.reason).where(
            Flag.comment_id.in_(select(candidates.c.id)),
            Flag.source == FlagSource.SYSTEM,
            Flag.status == FlagStatus.OPEN,
        )
    ):
        machine.setdefault(comment_id, []).append(reason)
    return {
        row[0]: policy.priority(
            policy.PrioritySignals(
                report_weight=float(row[5] or 0.0),
                machine_flags=tuple(machine.get(row[0], ())),
                reply_count=row[2],
                reaction_count=row[3],
                story_comment_count=row[4],
                waiting_seconds=max(0.0, (now - row[1]).total_seconds()),
            )
        )
        for row in rows
    }


def search_comments(
    session: Session,
    *,
    moderator: Account,
    text: str | None,
    author_id: int | None,
    story_id: int | None,
    site_id: int | None,
    limit: int,
) -> QueuePage:
    """Comments of any status whose body contains `text` (case-insensitive), by author and
    story, newest first, within the moderator's sites."""
    where: ColumnElement[bool] = Comment.status != CommentStatus.DELETED
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where = where & Comment.body.ilike(f"%{escaped}%", escape="\\")
    if author_id is not None:
        where = where & (Comment.author_id == author_id)
    where = _scoped(where, moderator, site_id, story_id)
    total = session.scalar(select(func.count()).select_from(Comment).where(where)) or 0
    found = list(
        session.scalars(select(Comment).where(where).order_by(Comment.id.desc()).limit(limit))
    )
    return QueuePage(
        queue="search", order="newest", count=total, items=items.queue_items(session, found)
    )
