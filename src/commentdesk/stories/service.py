"""Story use cases: resolve a page URL to its story (creating it for an allowed origin), and the
CMS upsert."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from commentdesk import events
from commentdesk.db.memo import memo, pin
from commentdesk.db.rows import add_if_new
from commentdesk.errors import InvalidInput, NotFound, PermissionDenied
from commentdesk.sites import service as sites
from commentdesk.sites.models import Site
from commentdesk.stories.models import Story
from commentdesk.stories.schemas import StoryUpsert
from commentdesk.urls import canonical_url, origin_of


def find_by_url(session: Session, *, url: str) -> Story | None:
    """The story at `url`, or None. Which id a URL has never changes: it is memoised."""
    canonical = canonical_url(url)
    story_ids = memo(session, "story_ids")
    story_id = story_ids.get(canonical) if story_ids else None
    if story_id is not None:
        story = session.get(Story, story_id)
    else:
        story = session.scalars(select(Story).where(Story.url == canonical)).first()
        if story is not None and story_ids:
            story_ids.put(canonical, story.id)
    if story is not None:
        pin(session, story)
    return story


def get_by_url(session: Session, *, url: str) -> Story:
    story = find_by_url(session, url=url)
    if story is None:
        raise NotFound("No story has this URL.", details={"url": url})
    return story


def get_or_create_for_page(
    session: Session, *, url: str, title: str | None, request_origin: str | None, now: datetime
) -> Story:
    """The story at `url`; created on first sight when the URL's origin is one a site allows and
    the request comes from a page on that site (when the browser says where it comes from)."""
    story = find_by_url(session, url=url)
    if story is not None:
        return story
    site = sites.find_by_origin(session, origin=origin_of(url))
    if site is None or (request_origin is not None and request_origin not in site.allowed_origins):
        raise NotFound("No site embeds comments on this page.", details={"url": url})
    story = Story(
        site_id=site.id,
        url=canonical_url(url),
        title=(title or "").strip()[:500],
        created_at=now,
        updated_at=now,
    )
    if not add_if_new(session, story):
        # Another request created it between our look-up and insert.
        return get_by_url(session, url=url)
    events.record(session, events.StoryWasChanged(story_id=story.id))
    return story


def fill_text_from_page(
    session: Session, *, url: str, text: str, request_origin: str | None, now: datetime
) -> bool:
    """Keep the story's text as the publisher's page shows it, when nothing better is known:
    text from the CMS always wins, and the first page text is kept. Only a request from a page
    on one of the site's origins may send it. Returns whether the text was stored."""
    story = get_by_url(session, url=url)
    if request_origin is None or request_origin not in story.site.allowed_origins:
        raise PermissionDenied("Only the story's own pages may send its text.")
    return fill_text(session, story=story, text=text, now=now)


def fill_text(session: Session, *, story: Story, text: str, now: datetime) -> bool:
    """Keep `text` (from the page, or fetched from it) as the story's text when it has none:
    text from the CMS always wins, and the first text kept stays. Returns whether it was
    stored."""
    if story.body_text:
        return False
    # Conditional, so text the CMS committed since the story was loaded is never overwritten.
    result = session.execute(
        update(Story)
        .where(Story.id == story.id, Story.body_text == "")
        .values(body_text=" ".join(text.split()), updated_at=now)
    )
    if cast("CursorResult[Any]", result).rowcount != 1:
        session.refresh(story)
        return False
    events.record(session, events.StoryWasChanged(story_id=story.id))
    return True


def upsert(
    session: Session, *, site: Site, draft: StoryUpsert, now: datetime
) -> tuple[Story, bool]:
    """Create or update the story at `draft.url` for `site`; returns (story, created)."""
    url = canonical_url(draft.url)
    if origin_of(url) not in site.allowed_origins:
        raise InvalidInput(
            "The story URL is not on one of this site's origins.",
            details={"url": url, "allowed_origins": site.allowed_origins},
        )
    story = find_by_url(session, url=url)
    created = story is None
    if story is None:
        story = Story(site_id=site.id, url=url, created_at=now)
        session.add(story)
    elif story.site_id != site.id:
        raise NotFound("No story with this URL belongs to this site.")
    story.title = draft.title
    story.updated_at = now
    if draft.body_text is not None:
        story.body_text = draft.body_text
    if draft.published_at is not None:
        published = draft.published_at
        story.published_at = published if published.tzinfo else published.replace(tzinfo=UTC)
    if draft.is_closed is not None:
        story.is_closed = draft.is_closed
    if draft.is_premoderated is not None:
        story.is_premoderated = draft.is_premoderated
    session.flush()
    events.record(session, events.StoryWasChanged(story_id=story.id))
    return story, created


def get_story(session: Session, *, story_id: int) -> Story:
    story = session.get(Story, story_id)
    if story is None:
        raise NotFound("No such story.", details={"story_id": story_id})
    return story
