"""Following a story or a comment's replies, and what is new for the reader since their last
visit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from commentdesk.comments import service as comments
from commentdesk.follows import service as follows
from commentdesk.follows.schemas import Activity, FollowState
from commentdesk.stories import service as stories
from commentdesk.textfields import StoryUrl
from commentdesk.web.deps import Asking, CommentId, write

router = APIRouter(prefix="/api/v1", tags=["follows"])

StoryQuery = Annotated[StoryUrl, Query(description="The story page's canonical URL.")]


async def _follow_story(request: Request, asking: Asking, url: str, is_on: bool) -> FollowState:
    def work(session: Session) -> FollowState:
        account = asking.required(session)
        story = stories.get_by_url(session, url=url)
        return follows.set_follow(
            session, account=account, story=story, comment=None, is_on=is_on, now=asking.now
        )

    return await write(request, work)


@router.put("/follows/story")
async def follow_story(request: Request, asking: Asking, url: StoryQuery) -> FollowState:
    """Follow a story: its new comments appear in the reader's activity."""
    return await _follow_story(request, asking, url, is_on=True)


@router.delete("/follows/story")
async def unfollow_story(request: Request, asking: Asking, url: StoryQuery) -> FollowState:
    """Stop following a story."""
    return await _follow_story(request, asking, url, is_on=False)


async def _follow_comment(
    request: Request, asking: Asking, comment_id: int, is_on: bool
) -> FollowState:
    def work(session: Session) -> FollowState:
        account = asking.required(session)
        comment = comments.get_comment(session, comment_id=comment_id, viewer=account)
        story = stories.get_story(session, story_id=comment.story_id)
        return follows.set_follow(
            session, account=account, story=story, comment=comment, is_on=is_on, now=asking.now
        )

    return await write(request, work)


@router.put("/follows/comments/{comment_id}")
async def follow_comment(comment_id: CommentId, request: Request, asking: Asking) -> FollowState:
    """Follow a comment's replies: replies anywhere in its thread appear in the reader's
    activity (replies to the reader's own comments always do)."""
    return await _follow_comment(request, asking, comment_id, is_on=True)


@router.delete("/follows/comments/{comment_id}")
async def unfollow_comment(comment_id: CommentId, request: Request, asking: Asking) -> FollowState:
    """Stop following a comment's replies."""
    return await _follow_comment(request, asking, comment_id, is_on=False)


@router.post("/activity")
async def visit(request: Request, asking: Asking, url: StoryQuery) -> Activity:
    """Record the reader's visit to the story's site and return, newest first, what is new for
    them since their previous visit: replies to their comments, replies in threads they follow,
    and new comments on stories they follow, across the site. Requests less than 30 minutes
    apart are one visit, so a reload keeps what is new."""

    def work(session: Session) -> Activity:
        account = asking.required(session)
        story = stories.get_by_url(session, url=url)
        return follows.visit(session, account=account, story=story, now=asking.now)

    return await write(request, work)


@router.post("/activity/read", status_code=204)
async def mark_read(request: Request, asking: Asking, url: StoryQuery) -> Response:
    """The reader has seen their activity on the story's site: what is new starts now."""

    def work(session: Session) -> None:
        account = asking.required(session)
        story = stories.get_by_url(session, url=url)
        follows.mark_read(session, account=account, story=story, now=asking.now)

    await write(request, work)
    return Response(status_code=204)
