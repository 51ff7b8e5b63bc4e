"""Comment write use cases: post, edit, withdraw, react. Services flush; the edge commits."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from commentdesk import events
from commentdesk.accounts.models import Account
from commentdesk.comments import render, status, visibility
from commentdesk.comments.models import Comment, CommentStatus, Reaction, ReactionKind, Revision
from commentdesk.comments.schemas import ReactionState
from commentdesk.db.rows import add_if_new
from commentdesk.errors import (
    EditWindowClosed,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from commentdesk.stories.models import Story


def get_comment(session: Session, *, comment_id: int, viewer: Account | None) -> Comment:
    """The comment if `viewer` may see it; NotFound otherwise (hidden is the same as absent)."""
    comment = session.get(Comment, comment_id)
    if comment is None or not visibility.can_view(comment, viewer):
        raise NotFound("No such comment.", details={"comment_id": comment_id})
    return comment


def create_comment(
    session: Session,
    *,
    story: Story,
    body: str,
    html: str,
    parent_id: int | None,
    author: Account,
    status_to: CommentStatus,
    message: str | None,
    reasons: list[dict[str, Any]] | None,
    now: datetime,
) -> tuple[Comment, int]:
    """Store a new comment or reply with the status moderation decided (see
    moderation.intake.post_comment, which decides it), its first revision and its audit row.
    Returns the comment and its revision's id (scores attach to the revision)."""
    parent = _parent_in_story(session, story=story, parent_id=parent_id, author=author)
    comment = Comment(
        site_id=story.site_id,
        story_id=story.id,
        author_id=author.id,
        author=author,
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        body=body,
        html=html,
        status_reason=None,
        is_featured=False,
        reaction_count=0,
        reply_count=0,
        created_at=now,
        edited_at=None,
    )
    status.transition(
        session,
        comment,
        to_status=status_to,
        actor=None,
        action="posted",
        now=now,
        message=message,
        reasons=reasons,
    )
    revision_id = _add_revision(session, comment=comment, editor=author, now=now)
    events.record(
        session,
        events.CommentWasPosted(
            site_id=story.site_id, story_id=story.id, comment_id=comment.id, status=comment.status
        ),
    )
    return comment, revision_id


def edit_comment(
    session: Session, *, comment: Comment, body: str, editor: Account, now: datetime
) -> Comment:
    """Replace the author's own comment body within the site's edit window, keeping a revision."""
    if comment.author_id != editor.id:
        raise PermissionDenied("Only the author can edit a comment.")
    _require_can_post(editor)
    if comment.status in (CommentStatus.DELETED, CommentStatus.REJECTED):
        raise PermissionDenied(f"A {comment.status} comment cannot be edited.")
    story = session.get_one(Story, comment.story_id)
    window = timedelta(seconds=story.site.edit_window_seconds)
    if now - comment.created_at > window:
        raise EditWindowClosed(
            "The time for editing this comment has passed.",
            details={"edit_window_seconds": story.site.edit_window_seconds},
        )
    if body == comment.body:
        return comment
    comment.body = body
    comment.html = render.render(body)
    comment.edited_at = now
    session.flush()
    _add_revision(session, comment=comment, editor=editor, now=now)
    events.record(
        session,
        events.CommentWasChanged(site_id=story.site_id, story_id=story.id, comment_id=comment.id),
    )
    return comment


_INSERT_REVISION = insert(cast(Table, Revision.__table__)).returning(Revision.id)


def _add_revision(session: Session, *, comment: Comment, editor: Account, now: datetime) -> int:
    """Write the comment's current body as a revision; returns its id."""
    return session.execute(
        _INSERT_REVISION,
        {
            "comment_id": comment.id,
            "editor_id": editor.id,
            "body": comment.body,
            "html": comment.html,
            "created_at": now,
        },
    ).scalar_one()


def withdraw_comment(session: Session, *, comment: Comment, author: Account, now: datetime) -> None:
    """The author deletes their own comment; with replies it stays as a tombstone."""
    if comment.author_id != author.id:
        raise PermissionDenied("Only the author can delete a comment.")
    status.transition(
        session, comment, to_status=CommentStatus.DELETED, actor=author, action="withdrawn", now=now
    )


def set_reaction(
    session: Session, *, comment: Comment, account: Account, is_on: bool, now: datetime
) -> ReactionState:
    """Add or remove the account's "respect" for a public comment; idempotent."""
    if comment.status != CommentStatus.APPROVED:
        raise InvalidInput("Only published comments take reactions.")
    if comment.author_id == account.id:
        raise PermissionDenied("You cannot react to your own comment.")
    _require_can_post(account)
    changed = (
        _add_reaction(session, comment, account, now)
        if is_on
        else _remove_reaction(session, comment, account)
    )
    if changed:
        session.execute(
            update(Comment)
            .where(Comment.id == comment.id)
            .values(reaction_count=Comment.reaction_count + (1 if is_on else -1))
        )
        events.record(
            session,
            events.CommentWasChanged(
                site_id=comment.site_id, story_id=comment.story_id, comment_id=comment.id
            ),
        )
    session.refresh(comment, ["reaction_count"])
    return ReactionState(reaction_count=comment.reaction_count, reacted=is_on)


def _add_reaction(session: Session, comment: Comment, account: Account, now: datetime) -> bool:
    reaction = Reaction(
        comment_id=comment.id, account_id=account.id, kind=ReactionKind.RESPECT, created_at=now
    )
    return add_if_new(session, reaction)


def _remove_reaction(session: Session, comment: Comment, account: Account) -> bool:
    result = session.execute(
        delete(Reaction).where(
            Reaction.comment_id == comment.id,
            Reaction.account_id == account.id,
            Reaction.kind == ReactionKind.RESPECT,
        )
    )
    return bool(getattr(result, "rowcount", 0))


def _parent_in_story(
    session: Session, *, story: Story, parent_id: int | None, author: Account
) -> Comment | None:
    if parent_id is None:
        return None
    parent = session.get(Comment, parent_id)
    if parent is None or not visibility.can_view(parent, author):
        raise InvalidInput(
            "The comment you reply to does not exist.", details={"parent_id": parent_id}
        )
    if parent.story_id != story.id:
        raise InvalidInput(
            "You can only reply to a comment on the same story.", details={"parent_id": parent_id}
        )
    if parent.status != CommentStatus.APPROVED:
        raise InvalidInput(
            "You can only reply to a published comment.", details={"parent_id": parent_id}
        )
    return parent


def _require_can_post(account: Account) -> None:
    if not account.is_active:
        raise PermissionDenied(f"This account is {account.status} and cannot take part.")


def list_reacted(session: Session, *, story_id: int, account: Account) -> list[int]:
    return list(
        session.scalars(
            select(Reaction.comment_id)
            .join(Comment, Comment.id == Reaction.comment_id)
            .where(Comment.story_id == story_id, Reaction.account_id == account.id)
            .order_by(Reaction.comment_id)
        )
    )
