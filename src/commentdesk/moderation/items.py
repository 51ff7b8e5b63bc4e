"""Comments as moderators see them: in context (story, parent, the author's standing), with
their open reports and the pipeline's reasons. Builds views; decides nothing."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commentdesk.accounts.models import Account
from commentdesk.comments import visibility
from commentdesk.comments.models import Comment, CommentStatus
from commentdesk.comments.thread import comment_view
from commentdesk.moderation.models import Flag, FlagSource, FlagStatus, ModerationAction
from commentdesk.moderation.schemas import (
    AuditEntry,
    AuthorStanding,
    CommentRecord,
    QueueItem,
    ReasonView,
    ReportView,
    ScoreView,
    StoryThread,
    ThreadEntry,
)
from commentdesk.moderation.service import require_moderator
from commentdesk.scoring.models import RevisionScore
from commentdesk.stories.models import Story
from commentdesk.stories.schemas import StoryView

Scores = dict[int, tuple[float, list[str]]]


def queue_items(
    session: Session, comments: list[Comment], scores: Scores | None = None
) -> list[QueueItem]:
    """`comments` as queue items, in the given order, with a handful of batched queries."""
    scores = scores or {}
    ids = [comment.id for comment in comments]
    reports = _open_reports(session, ids)
    reasons = _pipeline_reasons(session, ids)
    stories = {
        story.id: story
        for story in session.scalars(
            select(Story).where(Story.id.in_({comment.story_id for comment in comments}))
        )
    }
    parent_ids = {comment.parent_id for comment in comments if comment.parent_id is not None}
    parents = {
        parent.id: parent
        for parent in session.scalars(select(Comment).where(Comment.id.in_(parent_ids)))
    }
    standings = _standings(session, {comment.author_id for comment in comments})
    return [
        QueueItem(
            comment=comment_view(comment, with_reason=True),
            story_id=comment.story_id,
            story_url=stories[comment.story_id].url,
            story_title=stories[comment.story_id].title,
            author_email=comment.author.email,
            author_standing=standings.get(comment.author_id),
            parent=(
                comment_view(parents[comment.parent_id], with_reason=True)
                if comment.parent_id in parents
                else None
            ),
            reports=reports.get(comment.id, []),
            reasons=reasons.get(comment.id, []),
            priority=scores[comment.id][0] if comment.id in scores else None,
            why=scores[comment.id][1] if comment.id in scores else [],
        )
        for comment in comments
    ]


def _standings(session: Session, author_ids: set[int]) -> dict[int, AuthorStanding]:
    counts: dict[int, dict[str, int]] = {}
    for author_id, comment_status, count in session.execute(
        select(Comment.author_id, Comment.status, func.count())
        .where(Comment.author_id.in_(author_ids))
        .group_by(Comment.author_id, Comment.status)
    ):
        counts.setdefault(author_id, {})[comment_status] = int(count)
    result = {}
    for account in session.scalars(select(Account).where(Account.id.in_(author_ids))):
        mine = counts.get(account.id, {})
        result[account.id] = AuthorStanding(
            id=account.id,
            name=account.display_name,
            role=account.role,
            status=account.status,
            suspended_until=account.suspended_until,
            is_premoderated=account.is_premoderated,
            created_at=account.created_at,
            approved=mine.get(CommentStatus.APPROVED, 0),
            rejected=mine.get(CommentStatus.REJECTED, 0),
            waiting=mine.get(CommentStatus.PENDING, 0) + mine.get(CommentStatus.WITHHELD, 0),
        )
    return result


def _open_reports(session: Session, comment_ids: list[int]) -> dict[int, list[ReportView]]:
    result: dict[int, list[ReportView]] = {}
    flags = session.scalars(
        select(Flag)
        .where(
            Flag.comment_id.in_(comment_ids),
            Flag.status == FlagStatus.OPEN,
            Flag.source == FlagSource.READER,
        )
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
                weight=flag.weight,
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


def story_thread(session: Session, *, story: Story, moderator: Account, limit: int) -> StoryThread:
    """The story's comments of every status in reply-tree order, oldest first at each level."""
    require_moderator(moderator, site_id=story.site_id)
    comments = list(
        session.scalars(
            select(Comment)
            .where(Comment.story_id == story.id)
            .order_by(Comment.id)
            .limit(limit + 1)
        )
    )
    is_truncated = len(comments) > limit
    comments = comments[:limit]
    children: dict[int | None, list[Comment]] = {}
    known = {comment.id for comment in comments}
    for comment in comments:
        parent_id = comment.parent_id if comment.parent_id in known else None
        children.setdefault(parent_id, []).append(comment)
    ordered: list[tuple[int, Comment]] = []
    stack = [(0, comment) for comment in reversed(children.get(None, []))]
    while stack:
        depth, comment = stack.pop()
        ordered.append((depth, comment))
        stack.extend((depth + 1, reply) for reply in reversed(children.get(comment.id, [])))
    built = queue_items(session, [comment for _, comment in ordered])
    return StoryThread(
        story=StoryView.of(story),
        site_id=story.site_id,
        is_premoderated=story.is_premoderated,
        entries=[
            ThreadEntry(depth=depth, is_public=visibility.can_view(comment, None), item=item)
            for (depth, comment), item in zip(ordered, built, strict=True)
        ],
        is_truncated=is_truncated,
    )


def comment_record(session: Session, *, comment: Comment, moderator: Account) -> CommentRecord:
    """One comment in context, with every decision taken on it."""
    require_moderator(moderator, site_id=comment.site_id)
    actions = session.scalars(
        select(ModerationAction)
        .where(ModerationAction.comment_id == comment.id)
        .order_by(ModerationAction.id)
    )
    latest = (
        select(func.max(RevisionScore.revision_id))
        .where(RevisionScore.comment_id == comment.id)
        .scalar_subquery()
    )
    scores = session.scalars(
        select(RevisionScore)
        .where(RevisionScore.comment_id == comment.id, RevisionScore.revision_id == latest)
        .order_by(RevisionScore.id)
    )
    return CommentRecord(
        item=queue_items(session, [comment])[0],
        scores=[
            ScoreView(name=score.name, value=score.value, explanation=score.explanation)
            for score in scores
        ],
        history=[AuditEntry.of(action, site_id=comment.site_id) for action in actions],
    )
