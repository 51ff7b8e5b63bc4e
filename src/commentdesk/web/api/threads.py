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
from commentdesk.web.deps import DbSession, Now, SignedInViewer
from commentdesk.web.thread_cache import CachedPage, ThreadCache, etag_for

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
    cache: ThreadCache = request.app.state.thread_cache
    version = cache.version(story.id)
    # End the read snapshot taken while resolving the story, so the page below is read after
    # `version` was: a commit in between then outdates the page instead of being missed.
    # (Nothing was written; commit ends the read transaction like a rollback would.)
    session.commit()
    page = thread.list_thread(session, story=story, sort=sort, limit=limit, cursor=cursor)
    body = page.model_dump_json().encode()
    cached = CachedPage(
        story_id=story.id,
        version=version,
        body=body,
        etag=etag_for(body),
        origins=frozenset(story.site.allowed_origins),
    )
    cache.put(request.scope["query_string"], cached)
    origin_bytes = origin.encode("latin-1") if origin else None
    headers = {
        name.decode(): value.decode("latin-1")
        for name, value in cache.headers(cached, origin_bytes)
    }
    if cached.etag.decode() in (request.headers.get("if-none-match") or ""):
        return Response(status_code=304, headers=headers)
    return Response(content=body, headers=headers)


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
    return session.get_one(Story, story_id)


@router.get("/threads/me")
def read_my_thread(
    session: DbSession, viewer: SignedInViewer, url: Annotated[StoryUrl, Query()]
) -> ViewerOverlay:
    """The signed-in viewer's own comments on the story that the public thread leaves out
    (awaiting review, withheld, removed, with the reason), and their reactions and reports."""
    story = stories.get_by_url(session, url=url)
    return thread.viewer_overlay(session, story=story, viewer=viewer)


@router.get("/counts")
def count_comments(
    session: DbSession,
    url: Annotated[list[StoryUrl], Query(min_length=1, max_length=100)],
) -> StoryCounts:
    """Public comment counts for up to 100 story URLs in one call (for index pages)."""
    return StoryCounts(counts=thread.count_comments(session, urls=url))
