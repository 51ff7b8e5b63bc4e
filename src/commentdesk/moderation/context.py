"""What the scorers see of a comment's surroundings: its story, the comment it answers, and the
site's other live stories, which a relevance score is relative to.

Posting scores a comment before the write, so its context is read first. A top-level comment's
context depends only on its story, so the context read for one comment is remembered, and the
next comment on the same story by a reader whose token this process already knows skips the
read altogether (`remembered_context`). A story's change forgets every remembered context
(`forget_stories`, an after-commit listener); other processes' memos age out within a minute, as
the live stories always have."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commentdesk import events
from commentdesk.accounts.tokens import remembered_account_id
from commentdesk.comments.models import Comment
from commentdesk.db.memo import factory_memo, memo
from commentdesk.scoring.protocol import ScoringContext
from commentdesk.stories.models import Story
from commentdesk.urls import canonical_url

# How many of a site's most recently updated open stories count as its live stories.
LIVE_STORIES = 24


def scoring_context(session: Session, *, story: Story, parent_id: int | None) -> ScoringContext:
    """What the scorers see of a new comment's surroundings: its story and the comment it
    answers (when the reader may see that one; posting checks it again)."""
    parent = session.get(Comment, parent_id) if parent_id is not None else None
    return ScoringContext(
        site_id=story.site_id,
        story_id=story.id,
        story_title=story.title,
        story_text=story.body_text,
        parent_text=parent.body if parent is not None and parent.story_id == story.id else None,
        other_stories=tuple(
            (title, text)
            for story_id, title, text in live_stories(session, site_id=story.site_id)
            if story_id != story.id
        ),
    )


def post_context(session: Session, *, story: Story, parent_id: int | None) -> ScoringContext:
    """`scoring_context` for a comment being posted; a top-level comment's is remembered for the
    story's next comments."""
    context = scoring_context(session, story=story, parent_id=parent_id)
    contexts = memo(session, "scoring_contexts")
    if parent_id is None and contexts:
        contexts.put(story.id, context)
    return context


def remembered_context(
    factory: sessionmaker[Session],
    *,
    url: str,
    token: str | None,
    parent_id: int | None,
    now: datetime,
) -> ScoringContext | None:
    """A top-level comment's context without a read, when this process knows the reader's token
    as live, the story's id, and the story's context from a comment less than a minute ago.
    None when any of them is unknown (or for a reply): then `post_context` reads it. Whether the
    reader may post at all is decided in the write, as always."""
    if parent_id is not None or not knows_reader(factory, token, now):
        return None
    story_ids = factory_memo(factory, "story_ids")
    contexts = factory_memo(factory, "scoring_contexts")
    if story_ids is None or contexts is None:
        return None
    story_id: int | None = story_ids.get(canonical_url(url))
    found: ScoringContext | None = contexts.get(story_id) if story_id is not None else None
    return found


def knows_reader(factory: sessionmaker[Session], token: str | None, now: datetime) -> bool:
    """Whether this process has seen `token` live within the token memo's minute: enough to
    score a draft without a read first (the write checks the reader again, as always)."""
    tokens = factory_memo(factory, "tokens")
    return token is not None and remembered_account_id(tokens, token=token, now=now) is not None


def live_stories(session: Session, *, site_id: int) -> tuple[tuple[int, str, str], ...]:
    """The site's live stories (id, title, text): the open ones updated most recently, which a
    relevance score compares a comment's own story with. Remembered for a minute per site."""
    cache = memo(session, "live_stories")
    found: tuple[tuple[int, str, str], ...] | None = cache.get(site_id) if cache else None
    if found is None:
        rows = session.execute(
            select(Story.id, Story.title, Story.body_text)
            .where(Story.site_id == site_id, Story.is_closed.is_(False))
            .where((Story.title != "") | (Story.body_text != ""))
            .order_by(Story.updated_at.desc())
            .limit(LIVE_STORIES + 1)
        )
        found = tuple((row.id, row.title, row.body_text) for row in rows)
        if cache:
            cache.put(site_id, found)
    return found


def forget_stories(factory: sessionmaker[Session], event: events.Event) -> None:
    """After-commit listener: a changed story (its text, its title, closed, or new) may change
    any remembered context of its site, as its own story or as one of the other live stories."""
    if not isinstance(event, events.StoryWasChanged):
        return
    for name in ("scoring_contexts", "live_stories"):
        remembered = factory_memo(factory, name)
        if remembered is not None:
            remembered.clear()
