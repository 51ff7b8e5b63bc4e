"""The read side: a story's public thread (cached), the viewer's overlay, and comment counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Header, Query, Request, Response
from sqlalchemy.orm import Session
from sse_starlette import EventSourceResponse

from commentdesk.comments import thread
from commentdesk.comments.schemas import StoryCounts, ThreadPage, ThreadSort, ViewerOverlay
from commentdesk.errors import NotFound
from commentdesk.follows import service as follows
from commentdesk.realtime.broker import Broker
from commentdesk.stories import service as stories
from commentdesk.stories.schemas import PageStoryText, StoryTextState
from commentdesk.textfields import StoryUrl, Title
from commentdesk.web.deps import Asking, Now, read, write
from commentdesk.web.live import event_stream
from commentdesk.web.read_cache import ANY_NEW_STORY, ReadCache
from commentdesk.web.story_fetch import fetch_later

router = APIRouter(prefix="/api/v1", tags=["threads"])


@router.get("/threads", response_model=ThreadPage)
async def read_thread(
    request: Request,
    now: Now,
    background_tasks: BackgroundTasks,
    url: Annotated[StoryUrl, Query(description="The story page's canonical URL.")],
    sort: ThreadSort = ThreadSort.NEWEST,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    title: Annotated[Title | None, Query()] = None,
    origin: Annotated[str | None, Header()] = None,
) -> Response:
    """One page of the story's public thread, the same for every viewer. A story is created on
    the first request from a page on one of a site's allowed origins."""
    cache: ReadCache = request.app.state.read_cache

    def page_of(session: Session) -> tuple[int, ThreadPage] | None:
        story = stories.find_by_url(session, url=url)
        if story is None:
            return None
        return story.id, thread.list_thread(
            session, story=story, sort=sort, limit=limit, cursor=cursor
        )

    # The epoch is taken before the database is read: a change committed after it then
    # outdates the page instead of being missed.
    epoch = cache.begin_read()
    found = await read(request, page_of)
    if found is None:
        await write(
            request,
            lambda session: (
                stories.get_or_create_for_page(
                    session, url=url, title=title, request_origin=origin, now=now
                ).id
            ),
        )
        epoch = cache.begin_read()
        found = await read(request, page_of)
    if found is None:
        raise NotFound("No story has this URL.", details={"url": url})
    story_id, page = found
    fetch_later(request, background_tasks, story_id=story_id, has_text=page.story.has_text)
    return cache.respond(
        request, body=page.model_dump_json().encode(), story_ids=[story_id], epoch=epoch
    )


@router.post("/threads/story-text")
async def send_story_text(
    text: PageStoryText,
    request: Request,
    now: Now,
    origin: Annotated[str | None, Header()] = None,
) -> StoryTextState:
    """The story's text as the publisher's page shows it (the widget sends the element named by
    `data-story-text-selector`), for the moderation assistant to judge whether comments are
    on topic. Kept only when the story has no text yet (the CMS's text always wins) and only
    from a page on one of the site's origins."""
    stored = await write(
        request,
        lambda session: stories.fill_text_from_page(
            session, url=text.url, text=text.text, request_origin=origin, now=now
        ),
    )
    return StoryTextState(stored=stored)


@router.get("/threads/me")
async def read_my_thread(
    request: Request, asking: Asking, url: Annotated[StoryUrl, Query()]
) -> ViewerOverlay:
    """The signed-in viewer's own comments on the story that the public thread leaves out
    (awaiting review, withheld, removed, with the reason), their reactions and reports, and
    what they follow on it."""

    def work(session: Session) -> ViewerOverlay:
        viewer = asking.required(session)
        story = stories.get_by_url(session, url=url)
        overlay = thread.viewer_overlay(session, story=story, viewer=viewer)
        overlay.following_story, overlay.followed = follows.following_on(
            session, account=viewer, story=story
        )
        return overlay

    return await read(request, work)


@router.get(
    "/threads/stream",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "An SSE stream."}},
)
async def stream_thread(
    request: Request, url: Annotated[StoryUrl, Query(description="The story's canonical URL.")]
) -> EventSourceResponse:
    """Live changes to the story's public thread as server-sent events: `ready` once, then a
    `comment` event `{kind, site_id, story_id, comment_id, status}` when a comment is published
    (`posted`) or changes (`changed`: edited, reacted to, removed), and `resync` when the client
    fell behind and should reload. Events carry ids only; read the comment with
    `GET /api/v1/comments/{id}`."""

    def story_of(session: Session) -> tuple[int, int]:
        story = stories.get_by_url(session, url=url)
        return story.id, story.site_id

    story_id, site_id = await read(request, story_of)
    broker: Broker = request.app.state.broker
    return event_stream(
        broker, broker.subscribe(frozenset({site_id}), story_id=story_id, is_public=True)
    )


@router.get("/counts", response_model=StoryCounts)
async def count_comments(
    request: Request,
    url: Annotated[list[StoryUrl], Query(min_length=1, max_length=100)],
) -> Response:
    """Public comment counts for up to 100 story URLs in one call (for index pages)."""
    cache: ReadCache = request.app.state.read_cache
    epoch = cache.begin_read()
    found = await read(request, lambda session: thread.count_comments(session, urls=url))
    counts = StoryCounts(counts={page_url: count for page_url, (_, count) in found.items()})
    story_ids = [story_id or ANY_NEW_STORY for story_id, _ in found.values()]
    return cache.respond(
        request, body=counts.model_dump_json().encode(), story_ids=story_ids, epoch=epoch
    )
