"""The read side: a story's public thread (cached), the viewer's overlay, and comment counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from sqlalchemy.orm import Session

from commentdesk.comments import thread
from commentdesk.comments.schemas import StoryCounts, ThreadPage, ThreadSort, ViewerOverlay
from commentdesk.stories import service as stories
from commentdesk.stories.models import Story
from commentdesk.textfields import StoryUrl, Title
from commentdesk.web.deps import Asking, DbSession, Now
from commentdesk.web.read_cache import ANY_NEW_STORY, ReadCache

router = APIRouter(prefix="/api/v1", tags=["threads"])


@router.get("/threads", response_model=ThreadPage)
def read_thread(
    request: Request,
    session: DbSession,
    now: Now,
    url: Annotated[StoryUrl, Query(description="The story page's canonical URL.")],
    sort: ThreadSort = ThreadSort.NEWEST,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    title: Annotated[Title | None, Query()] = None,
    origin: Annotated[str | None, Header()] = None,
) -> Response:
    """One page of the story's public thread, the same for every viewer. A story is created on
    the first request from a page on one of a site's allowed origins."""
    story = _story_for_page(request, session, url=url, title=title, origin=origin, now=now)
    cache: ReadCache = request.app.state.read_cache
    epoch = cache.begin_read()
    # End the read snapshot taken while resolving the story, so the page below is read after
    # `epoch` was: a commit in between then outdates the page instead of being missed.
    # (Nothing was written; commit ends the read transaction like a rollback would.)
    session.commit()
    page = thread.list_thread(session, story=story, sort=sort, limit=limit, cursor=cursor)
    return cache.respond(
        request, body=page.model_dump_json().encode(), story_ids=[story.id], epoch=epoch
    )


def _story_for_page(
    request: Request,
    session: Session,
    *,
    url: str,
    title: str | None,
    origin: str | None,
    now: Now,
) -> Story:
    story = stories.find_by_url(session, url=url)
    if story is not None:
        return story
    # First sight of this page: creating its story is a write, done in a writer session.
    with request.app.state.writer_factory() as writer:
        created = stories.get_or_create_for_page(
            writer, url=url, title=title, request_origin=origin, now=now
        )
        writer.commit()
        story_id = created.id
    # The reader's snapshot predates that commit (SQLite WAL): start a fresh one to see it.
    session.commit()
    return session.get_one(Story, story_id)


@router.get("/threads/me")
def read_my_thread(
    session: DbSession, asking: Asking, url: Annotated[StoryUrl, Query()]
) -> ViewerOverlay:
    """The signed-in viewer's own comments on the story that the public thread leaves out
    (awaiting review, withheld, removed, with the reason), and their reactions and reports."""
    viewer = asking.required()
    story = stories.get_by_url(session, url=url)
    return thread.viewer_overlay(session, story=story, viewer=viewer)


@router.get("/counts", response_model=StoryCounts)
def count_comments(
    request: Request,
    session: DbSession,
    url: Annotated[list[StoryUrl], Query(min_length=1, max_length=100)],
) -> Response:
    """Public comment counts for up to 100 story URLs in one call (for index pages)."""
    cache: ReadCache = request.app.state.read_cache
    epoch = cache.begin_read()
    found = thread.count_comments(session, urls=url)
    counts = StoryCounts(counts={page_url: count for page_url, (_, count) in found.items()})
    story_ids = [story_id or ANY_NEW_STORY for story_id, _ in found.values()]
    return cache.respond(
        request, body=counts.model_dump_json().encode(), story_ids=story_ids, epoch=epoch
    )
