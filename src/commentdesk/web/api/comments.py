"""Posting, editing, withdrawing, reacting to and reporting comments."""

from __future__ import annotations

from fastapi import APIRouter, Response

from commentdesk.comments import service as comments
from commentdesk.comments import visibility
from commentdesk.comments.schemas import CommentDraft, CommentEdit, CommentView, ReactionState
from commentdesk.comments.thread import comment_view
from commentdesk.moderation import service as moderation
from commentdesk.moderation.schemas import ReportDraft, ReportView
from commentdesk.stories import service as stories
from commentdesk.web.deps import Asking, CommentId, DbSession, Now

router = APIRouter(prefix="/api/v1/comments", tags=["comments"])


@router.post("", status_code=201)
def post_comment(draft: CommentDraft, session: DbSession, asking: Asking, now: Now) -> CommentView:
    """Post a comment or a reply. It is `approved` at once, or `pending` under pre-moderation."""
    viewer = asking.required()
    story = stories.get_by_url(session, url=draft.story_url)
    comment = comments.post_comment(
        session, story=story, body=draft.body, parent_id=draft.parent_id, author=viewer, now=now
    )
    session.commit()
    return comment_view(comment, with_reason=True)


@router.get("/{comment_id}")
def read_comment(comment_id: CommentId, session: DbSession, asking: Asking) -> CommentView:
    """One comment, if the viewer may see it."""
    viewer = asking.optional()
    comment = comments.get_comment(session, comment_id=comment_id, viewer=viewer)
    return comment_view(comment, with_reason=visibility.is_author_or_moderator(comment, viewer))


@router.patch("/{comment_id}")
def edit_comment(
    comment_id: CommentId, draft: CommentEdit, session: DbSession, asking: Asking, now: Now
) -> CommentView:
    """Edit one's own comment within the site's edit window; the old text is kept as a revision."""
    viewer = asking.required()
    comment = comments.get_comment(session, comment_id=comment_id, viewer=viewer)
    comments.edit_comment(session, comment=comment, body=draft.body, editor=viewer, now=now)
    session.commit()
    return comment_view(comment, with_reason=True)


@router.delete("/{comment_id}", status_code=204)
def withdraw_comment(
    comment_id: CommentId, session: DbSession, asking: Asking, now: Now
) -> Response:
    """Delete one's own comment (it stays as a tombstone while it has replies)."""
    viewer = asking.required()
    comment = comments.get_comment(session, comment_id=comment_id, viewer=viewer)
    comments.withdraw_comment(session, comment=comment, author=viewer, now=now)
    session.commit()
    return Response(status_code=204)


@router.post("/{comment_id}/reactions")
def add_reaction(
    comment_id: CommentId, session: DbSession, asking: Asking, now: Now
) -> ReactionState:
    """Give a comment one's "respect"."""
    viewer = asking.required()
    comment = comments.get_comment(session, comment_id=comment_id, viewer=viewer)
    state = comments.set_reaction(session, comment=comment, account=viewer, is_on=True, now=now)
    session.commit()
    return state


@router.delete("/{comment_id}/reactions")
def remove_reaction(
    comment_id: CommentId, session: DbSession, asking: Asking, now: Now
) -> ReactionState:
    """Take one's "respect" back."""
    viewer = asking.required()
    comment = comments.get_comment(session, comment_id=comment_id, viewer=viewer)
    state = comments.set_reaction(session, comment=comment, account=viewer, is_on=False, now=now)
    session.commit()
    return state


@router.post("/{comment_id}/reports", status_code=201)
def report_comment(
    comment_id: CommentId, draft: ReportDraft, session: DbSession, asking: Asking, now: Now
) -> ReportView:
    """Report a comment to the editors ("Report as abusive"); once per reader per comment."""
    viewer = asking.required()
    comment = comments.get_comment(session, comment_id=comment_id, viewer=viewer)
    report = moderation.report_comment(
        session, comment=comment, reporter=viewer, draft=draft, now=now
    )
    session.commit()
    return report
