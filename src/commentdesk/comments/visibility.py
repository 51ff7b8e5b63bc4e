"""Who may see a comment: the one rule every route applies. Pure."""

from __future__ import annotations

from commentdesk.accounts.models import Account
from commentdesk.comments.models import Comment, CommentStatus


def can_view(comment: Comment, viewer: Account | None) -> bool:
    """Approved comments are public; any other status is seen only by its author and by the
    moderators of its site. A deleted comment is seen by those moderators only (readers get a
    tombstone in the thread)."""
    if comment.status == CommentStatus.APPROVED:
        return True
    if viewer is None:
        return False
    if viewer.moderates(comment.site_id):
        return True
    return comment.author_id == viewer.id and comment.status != CommentStatus.DELETED


def is_author_or_moderator(comment: Comment, viewer: Account | None) -> bool:
    """Who sees a comment's Markdown source and the reason for its status."""
    return viewer is not None and (
        comment.author_id == viewer.id or viewer.moderates(comment.site_id)
    )
