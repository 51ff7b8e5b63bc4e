"""Following stories and comments, and what is new for a reader since their last visit.

Replies to a reader's own comments are always theirs to see; following a story adds its new
comments, following a comment adds the replies in its thread. Services flush; the edge commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, delete, func, or_, select
from sqlalchemy.orm import Session, aliased

from commentdesk.accounts.models import Account
from commentdesk.comments.models import Comment, CommentStatus
from commentdesk.comments.thread import comment_view
from commentdesk.db.rows import add_if_new
from commentdesk.errors import InvalidInput, TooManyFollows
from commentdesk.follows.models import Follow, ReaderVisit
from commentdesk.follows.schemas import Activity, ActivityItem, ActivityKind, FollowState
from commentdesk.stories.models import Story
from commentdesk.stories.schemas import StoryView

# A reader may follow this many stories and comments in all: enough for any person, and a
# bound on what one account can make the activity query join.
MAX_FOLLOWS = 500
# Requests closer together than this are one visit: reloading the page keeps what is new.
VISIT_GAP = timedelta(minutes=30)
ACTIVITY_LIMIT = 20


def set_follow(
    session: Session,
    *,
    account: Account,
    story: Story,
    comment: Comment | None,
    is_on: bool,
    now: datetime,
) -> FollowState:
    """Follow or unfollow a story (no comment) or a comment's replies; idempotent."""
    if comment is not None and comment.story_id != story.id:
        raise InvalidInput("The comment is not on this story.")
    if comment is not None and comment.status == CommentStatus.DELETED:
        raise InvalidInput("A deleted comment cannot be followed.")
    target = _target(account, story, comment)
    if not is_on:
        session.execute(delete(Follow).where(*target))
    elif session.scalar(select(Follow.id).where(*target)) is None:
        count = session.scalar(
            select(func.count()).select_from(Follow).where(Follow.account_id == account.id)
        )
        if (count or 0) >= MAX_FOLLOWS:
            raise TooManyFollows(
                f"You follow {MAX_FOLLOWS} stories and comments; unfollow some first.",
                details={"limit": MAX_FOLLOWS},
            )
        # Followed at the same moment by another request: the same end state either way.
        add_if_new(
            session,
            Follow(
                account_id=account.id,
                story_id=story.id,
                comment_id=comment.id if comment else None,
                created_at=now,
            ),
        )
    return FollowState(
        story_id=story.id, comment_id=comment.id if comment else None, is_following=is_on
    )


def _target(account: Account, story: Story, comment: Comment | None) -> list[ColumnElement[bool]]:
    if comment is None:
        return [
            Follow.account_id == account.id,
            Follow.story_id == story.id,
            Follow.comment_id.is_(None),
        ]
    return [Follow.account_id == account.id, Follow.comment_id == comment.id]


def following_on(session: Session, *, account: Account, story: Story) -> tuple[bool, list[int]]:
    """Whether the account follows the story, and which of its comments it follows."""
    rows = session.execute(
        select(Follow.comment_id)
        .where(Follow.account_id == account.id, Follow.story_id == story.id)
        .order_by(Follow.comment_id)
    )
    ids = [comment_id for (comment_id,) in rows]
    return None in ids, [comment_id for comment_id in ids if comment_id is not None]


def visit(session: Session, *, account: Account, story: Story, now: datetime) -> Activity:
    """Record the reader's visit to the story's site and return what is new for them since
    their previous visit ended."""
    since = _record_visit(session, account=account, site_id=story.site_id, now=now)
    return activity(session, account=account, site_id=story.site_id, since=since)


def mark_read(session: Session, *, account: Account, story: Story, now: datetime) -> None:
    """The reader has seen everything so far: what is new starts now."""
    row = _visit_row(session, account=account, site_id=story.site_id, now=now)
    row.new_since = now
    row.last_seen_at = now


def _record_visit(session: Session, *, account: Account, site_id: int, now: datetime) -> datetime:
    row = _visit_row(session, account=account, site_id=site_id, now=now)
    if now - row.last_seen_at > VISIT_GAP:
        row.new_since = row.last_seen_at
    row.last_seen_at = max(row.last_seen_at, now)
    return row.new_since


def _visit_row(session: Session, *, account: Account, site_id: int, now: datetime) -> ReaderVisit:
    row = session.get(ReaderVisit, (account.id, site_id))
    if row is not None:
        return row
    # A first visit: everything since the account was made is new (the query is bounded).
    row = ReaderVisit(
        account_id=account.id, site_id=site_id, new_since=account.created_at, last_seen_at=now
    )
    if not add_if_new(session, row):
        row = session.get(ReaderVisit, (account.id, site_id), populate_existing=True)
        assert row is not None  # the row that won the race
    return row


def activity(session: Session, *, account: Account, site_id: int, since: datetime) -> Activity:
    """Published comments by others on the site after `since` that are for the reader: replies
    to them, replies in threads they follow, new comments on stories they follow."""
    found: dict[int, tuple[ActivityKind, Comment]] = {}
    # Each query is driven by an index from the reader's side (their comments, their follows)
    # and takes at most one item more than is shown; a comment matching several keeps the
    # most personal kind.
    for kind, query in (
        (ActivityKind.REPLY, _replies_to(account)),
        (ActivityKind.THREAD, _in_followed_threads(account)),
        (ActivityKind.STORY, _on_followed_stories(account)),
    ):
        rows = session.scalars(
            query.where(
                Comment.site_id == site_id,
                Comment.status == CommentStatus.APPROVED,
                Comment.author_id != account.id,
                Comment.created_at > since,
            )
            .order_by(Comment.id.desc())
            .limit(ACTIVITY_LIMIT + 1)
        )
        for comment in rows:
            found.setdefault(comment.id, (kind, comment))
    newest = sorted(found.values(), key=lambda item: item[1].id, reverse=True)
    shown = newest[:ACTIVITY_LIMIT]
    stories = {
        story.id: story
        for story in session.scalars(
            select(Story).where(Story.id.in_({comment.story_id for _, comment in shown}))
        )
    }
    return Activity(
        since=since,
        items=[
            ActivityItem(
                kind=kind,
                comment=comment_view(comment),
                story=StoryView.of(stories[comment.story_id]),
            )
            for kind, comment in shown
        ],
        has_more=len(newest) > ACTIVITY_LIMIT,
    )


def _replies_to(account: Account) -> Select[Comment]:
    parent = aliased(Comment)
    return (
        select(Comment)
        .join(
            parent,
            and_(parent.story_id == Comment.story_id, parent.id == Comment.parent_id),
        )
        .where(parent.author_id == account.id)
    )


def _in_followed_threads(account: Account) -> Select[Comment]:
    return (
        select(Comment)
        .join(
            Follow,
            and_(
                Follow.story_id == Comment.story_id,
                or_(Follow.comment_id == Comment.parent_id, Follow.comment_id == Comment.root_id),
            ),
        )
        .where(Follow.account_id == account.id, Follow.comment_id.isnot(None))
        .distinct()
    )


def _on_followed_stories(account: Account) -> Select[Comment]:
    return (
        select(Comment)
        .join(Follow, Follow.story_id == Comment.story_id)
        .where(Follow.account_id == account.id, Follow.comment_id.is_(None))
    )
