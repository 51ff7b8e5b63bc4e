"""The read path: one page of a story's public thread, the viewer's overlay, and counts.

Nothing here renders Markdown; comments carry the HTML made when they were written.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, UnaryExpression, and_, exists, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from commentdesk.accounts.models import Account
from commentdesk.accounts.schemas import AccountView, AuthorView
from commentdesk.comments import best_sort
from commentdesk.comments.models import Comment, CommentStatus
from commentdesk.comments.schemas import (
    CommentView,
    ThreadPage,
    ThreadSort,
    ViewerOverlay,
)
from commentdesk.comments.service import list_reacted
from commentdesk.errors import InvalidInput
from commentdesk.moderation.models import Flag
from commentdesk.sites.schemas import SitePublicView
from commentdesk.stories.models import Story
from commentdesk.stories.schemas import StoryView
from commentdesk.urls import canonical_url

PUBLIC = CommentStatus.APPROVED
# Editors' picks shown above a thread's first page.
FEATURED_LIMIT = 5
HIDDEN_FROM_AUTHOR = (CommentStatus.PENDING, CommentStatus.WITHHELD, CommentStatus.REJECTED)
# One labelled expression, so `best` pages order by the selected column's name.
BEST_SCORE = best_sort.sort_score()


def list_thread(
    session: Session, *, story: Story, sort: ThreadSort, limit: int, cursor: str | None
) -> ThreadPage:
    """Top-level comments after `cursor` in `sort` order, each with all its visible replies.

    Keyset pagination: a page boundary is a (sort key, id) pair, so comments posted while a
    reader pages never shift or repeat what they see.
    """
    order_keys = _order_keys(sort)
    # `best` selects its score too: the page's last one goes into the cursor exactly.
    sort_columns = [BEST_SCORE] if sort == ThreadSort.BEST else []
    query = select(Comment, *sort_columns).where(
        Comment.story_id == story.id, Comment.parent_id.is_(None), _shown_top_level()
    )
    if cursor is not None:
        query = query.where(_after(sort, _decode_cursor(cursor, sort)))
    rows = [tuple(row) for row in session.execute(query.order_by(*order_keys).limit(limit + 1))]
    has_more = len(rows) > limit
    rows = rows[:limit]
    top = [row[0] for row in rows]
    replies = _replies_under(session, [comment.id for comment in top])
    views = _build_tree(top, replies)
    return ThreadPage(
        story=StoryView.of(story),
        site=SitePublicView(
            id=story.site.id,
            name=story.site.name,
            policy=story.site.policy_text,
            disclaimer=story.site.disclaimer_text,
            edit_window_seconds=story.site.edit_window_seconds,
        ),
        comments=views,
        next_cursor=_encode_cursor(rows[-1], sort) if has_more and rows else None,
        featured=_featured(session, story) if cursor is None else [],
    )


def _featured(session: Session, story: Story) -> list[CommentView]:
    picks = session.scalars(
        select(Comment)
        .where(
            Comment.story_id == story.id,
            Comment.parent_id.is_(None),
            Comment.is_featured.is_(True),
            Comment.status == CommentStatus.APPROVED,
        )
        .order_by(Comment.id.desc())
        .limit(FEATURED_LIMIT)
    )
    return [comment_view(comment) for comment in picks]


def comment_view(comment: Comment, *, with_reason: bool = False) -> CommentView:
    """A comment's public shape (tombstones are made by the tree builder, not here).
    `with_reason` is the author's or a moderator's view: the status reason and Markdown source."""
    return CommentView(
        id=comment.id,
        parent_id=comment.parent_id,
        author=AuthorView(id=comment.author.id, name=comment.author.display_name),
        html=comment.html,
        status=comment.status,
        created_at=comment.created_at,
        edited_at=comment.edited_at,
        reaction_count=comment.reaction_count,
        reply_count=comment.reply_count,
        is_featured=comment.is_featured,
        reason=comment.status_reason if with_reason else None,
        body=comment.body if with_reason else None,
    )


def viewer_overlay(session: Session, *, story: Story, viewer: Account) -> ViewerOverlay:
    """The viewer's own comments that the public thread leaves out, and what they reacted to
    and reported on this story."""
    own = session.scalars(
        select(Comment)
        .where(
            Comment.story_id == story.id,
            Comment.author_id == viewer.id,
            Comment.status.in_(HIDDEN_FROM_AUTHOR),
        )
        .order_by(Comment.id)
    )
    reported = session.scalars(
        select(Flag.comment_id)
        .join(Comment, Comment.id == Flag.comment_id)
        .where(Comment.story_id == story.id, Flag.account_id == viewer.id)
        .order_by(Flag.comment_id)
    )
    return ViewerOverlay(
        account=AccountView(id=viewer.id, name=viewer.display_name, role=viewer.role),
        comments=[comment_view(comment, with_reason=True) for comment in own],
        reacted=list_reacted(session, story_id=story.id, account=viewer),
        reported=list(reported),
    )


def count_comments(session: Session, *, urls: Sequence[str]) -> dict[str, tuple[int | None, int]]:
    """For each story URL as given: (story id, public comment count); (None, 0) when unknown."""
    canonical = {url: canonical_url(url) for url in urls}
    rows = session.execute(
        select(Story.url, Story.id, Story.comment_count).where(
            Story.url.in_(set(canonical.values()))
        )
    )
    found = {row.url: (row.id, row.comment_count) for row in rows}
    return {url: found.get(key, (None, 0)) for url, key in canonical.items()}


def _shown_top_level() -> ColumnElement[bool]:
    # A hidden top-level comment still shows, as a tombstone, while any reply under it is public.
    reply = aliased(Comment)
    return or_(
        Comment.status == PUBLIC,
        exists().where(reply.root_id == Comment.id, reply.status == PUBLIC),
    )


def _replies_under(session: Session, root_ids: list[int]) -> list[Comment]:
    if not root_ids:
        return []
    return list(
        session.scalars(select(Comment).where(Comment.root_id.in_(root_ids)).order_by(Comment.id))
    )


def _build_tree(top: list[Comment], replies: list[Comment]) -> list[CommentView]:
    children: dict[int, list[Comment]] = {}
    for reply in replies:
        children.setdefault(reply.parent_id or 0, []).append(reply)

    def build(comment: Comment) -> CommentView | None:
        shown = [view for child in children.get(comment.id, []) if (view := build(child))]
        if comment.status == PUBLIC:
            view = comment_view(comment)
        elif shown:
            view = _tombstone(comment)
        else:
            return None
        view.replies = shown
        view.reply_count = len(shown)
        return view

    return [view for comment in top if (view := build(comment))]


def _tombstone(comment: Comment) -> CommentView:
    return CommentView(
        id=comment.id,
        parent_id=comment.parent_id,
        author=None,
        html="",
        status=CommentStatus.DELETED,
        created_at=comment.created_at,
        edited_at=None,
        reaction_count=0,
        reply_count=0,
        is_tombstone=True,
    )


def _order_keys(sort: ThreadSort) -> list[UnaryExpression[Any]]:
    match sort:
        case ThreadSort.NEWEST:
            return [Comment.id.desc()]
        case ThreadSort.OLDEST:
            return [Comment.id.asc()]
        case ThreadSort.TOP:
            return [Comment.reaction_count.desc(), Comment.id.desc()]
        case ThreadSort.REPLIES:
            return [Comment.reply_count.desc(), Comment.id.desc()]
        case ThreadSort.BEST:
            return [BEST_SCORE.desc(), Comment.reaction_count.desc(), Comment.id.desc()]


def _after(sort: ThreadSort, key: list[float]) -> ColumnElement[bool]:
    match sort:
        case ThreadSort.NEWEST:
            return Comment.id < key[0]
        case ThreadSort.OLDEST:
            return Comment.id > key[0]
        case ThreadSort.TOP | ThreadSort.REPLIES:
            column = Comment.reaction_count if sort == ThreadSort.TOP else Comment.reply_count
            return or_(column < key[0], and_(column == key[0], Comment.id < key[1]))
        case ThreadSort.BEST:
            # A row-value comparison names the score subquery once (an OR of the three keys
            # made PostgreSQL run it up to three times a row).
            return tuple_(BEST_SCORE.element, Comment.reaction_count, Comment.id) < tuple_(*key)


def _encode_cursor(row: tuple[Any, ...], sort: ThreadSort) -> str:
    comment: Comment = row[0]
    key: list[Any]
    match sort:
        case ThreadSort.NEWEST | ThreadSort.OLDEST:
            key = [comment.id]
        case ThreadSort.TOP:
            key = [comment.reaction_count, comment.id]
        case ThreadSort.REPLIES:
            key = [comment.reply_count, comment.id]
        case ThreadSort.BEST:
            # The score as stored (a double): JSON writes it back exactly, so the next page
            # starts precisely after this one.
            key = [float(row[1]), comment.reaction_count, comment.id]
    raw = json.dumps({"s": str(sort), "k": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: ThreadSort) -> list[float]:
    invalid = InvalidInput(
        "The cursor is not valid for this thread and sort.", details={"cursor": cursor[:100]}
    )
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        decoded = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise invalid from error
    expected = {ThreadSort.NEWEST: 1, ThreadSort.OLDEST: 1, ThreadSort.BEST: 3}.get(sort, 2)
    if (
        not isinstance(decoded, dict)
        or decoded.get("s") != sort
        or not isinstance(decoded.get("k"), list)
        or len(decoded["k"]) != expected
    ):
        raise invalid
    key = list(decoded["k"])
    # A `best` cursor starts with the score, a number in [0, 1]; every other part is a count
    # or an id.
    counts = key[1:] if sort == ThreadSort.BEST else key
    if sort == ThreadSort.BEST and not _is_score(key[0]):
        raise invalid
    if not all(type(part) is int and 0 <= part < 2**31 for part in counts):
        raise invalid
    return key


def _is_score(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value) and 0 <= value <= 1
