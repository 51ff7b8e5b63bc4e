"""Whether a story's text is to be fetched from its page, with the reason in words: a pure rule,
and the one read that gathers what it needs. Fetches nothing and stores nothing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from commentdesk.moderation import intake
from commentdesk.stories import service as stories


@dataclass(frozen=True)
class FetchPlan:
    """What to fetch for one story, or why not."""

    story_id: int
    url: str
    allowed_origins: tuple[str, ...]
    should_fetch: bool
    reason: str


def decide(*, has_text: bool, is_turned_on: bool) -> tuple[bool, str]:
    """Fetch only a story that has no text yet (CMS and page text come first), on a site that
    turned fetching on."""
    if has_text:
        return False, "The story already has its text."
    if not is_turned_on:
        return False, "The site does not fetch story text (fetch_story_text is off)."
    return True, "The story has no text and its site fetches it from the story's page."


def plan(session: Session, *, story_id: int) -> FetchPlan:
    """The plan for `story_id` as the database has it now."""
    story = stories.get_story(session, story_id=story_id)
    settings, _ = intake.moderation_settings(session, site=story.site)
    should_fetch, reason = decide(has_text=story.has_text, is_turned_on=settings.fetch_story_text)
    return FetchPlan(
        story_id=story.id,
        url=story.url,
        allowed_origins=tuple(story.site.allowed_origins),
        should_fetch=should_fetch,
        reason=reason,
    )
