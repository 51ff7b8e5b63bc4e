"""Fetching a story's text from its page after the response has gone (a FastAPI background task),
for sites that turn `fetch_story_text` on. Remembers, per process, which stories are being looked
at or were lately, so neither a failing page nor a site with fetching off costs work on every
read and post."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import UTC, datetime

from cachetools import TTLCache
from fastapi import BackgroundTasks, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from commentdesk.errors import NotFound
from commentdesk.settings import Settings
from commentdesk.stories import fetch, fetch_plan
from commentdesk.stories import service as stories
from commentdesk.web.deps import read, write

logger = logging.getLogger(__name__)

# A page that gave no text is tried again after this long (per process).
RETRY_SECONDS = 3600.0
# A story that needed no fetch (it has text, or its site has fetching off) is looked at again
# after this long: turning the switch on reaches recently seen stories within a minute.
RECHECK_SECONDS = 60.0


class StoryTextFetches:
    """The process's fetch limits and its memory of the stories being fetched or tried."""

    def __init__(self, *, limits: fetch.FetchLimits, delay_seconds: float) -> None:
        self.limits = limits
        self.delay_seconds = delay_seconds
        self._lock = threading.Lock()
        self._pending: set[int] = set()
        self._quiet_until: TTLCache[int, float] = TTLCache(maxsize=10_000, ttl=RETRY_SECONDS)

    @classmethod
    def of(cls, settings: Settings) -> StoryTextFetches:
        limits = fetch.FetchLimits(
            timeout_seconds=settings.story_fetch_timeout_seconds,
            max_bytes=settings.story_fetch_max_bytes,
        )
        return cls(limits=limits, delay_seconds=settings.story_fetch_delay_seconds)

    def claim(self, story_id: int) -> bool:
        """Whether the caller is the one to look at `story_id` now."""
        now = time.monotonic()
        with self._lock:
            if story_id in self._pending or self._quiet_until.get(story_id, 0.0) > now:
                return False
            self._pending.add(story_id)
            return True

    def release(self, story_id: int, *, quiet_seconds: float) -> None:
        """Done with `story_id`; leave it alone for `quiet_seconds`."""
        with self._lock:
            self._pending.discard(story_id)
            self._quiet_until[story_id] = time.monotonic() + quiet_seconds


def fetch_later(
    request: Request, background_tasks: BackgroundTasks, *, story_id: int, has_text: bool
) -> None:
    """After the response, fetch the story's text from its page if its site wants that and it
    still has none. Cheap when it has text: nothing is queued."""
    if has_text:
        return
    fetches: StoryTextFetches = request.app.state.story_text_fetches
    if fetches.claim(story_id):
        background_tasks.add_task(_fetch_and_store, request, fetches, story_id)


async def _fetch_and_store(request: Request, fetches: StoryTextFetches, story_id: int) -> None:
    quiet_seconds = RECHECK_SECONDS
    try:
        plan = await read(request, lambda session: fetch_plan.plan(session, story_id=story_id))
        # Only a story that may be fetched waits (for the widget's page text), then looks again.
        if plan.should_fetch and fetches.delay_seconds > 0:
            await asyncio.sleep(fetches.delay_seconds)
            plan = await read(request, lambda session: fetch_plan.plan(session, story_id=story_id))
        if not plan.should_fetch:
            logger.debug("story %d: text not fetched: %s", story_id, plan.reason)
            return
        quiet_seconds = RETRY_SECONDS
        try:
            text = await run_in_threadpool(
                fetch.fetch_story_text,
                plan.url,
                allowed_origins=plan.allowed_origins,
                limits=fetches.limits,
            )
        except fetch.StoryFetchFailed as failure:
            logger.warning(
                "story %d: no text from %s: %s (%s)", story_id, plan.url, failure, failure.code
            )
            return

        def store(session: Session) -> bool:
            story = stories.get_story(session, story_id=story_id)
            return stories.fill_text(session, story=story, text=text, now=datetime.now(UTC))

        stored = await write(request, store)
        logger.info(
            "story %d: %s %d characters of text fetched from %s",
            story_id,
            "kept" if stored else "had text meanwhile; dropped",
            len(text),
            plan.url,
        )
    except NotFound:
        logger.info("story %d: gone before its text was fetched", story_id)
    finally:
        fetches.release(story_id, quiet_seconds=quiet_seconds)
