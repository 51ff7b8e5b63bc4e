"""The in-process broker: after-commit comment events become small messages, delivered to
every open stream whose scope covers the comment's site. Streams that fall behind are told to
resync rather than block the writer. Holds no comment text: a stream's client asks the server
what changed, through the usual permission checks."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass

from commentdesk import events

QUEUE_SIZE = 500
PUBLISHED = "approved"


@dataclass(frozen=True)
class Message:
    """`kind` is posted, changed or reported; `status` is set when the status is known."""

    kind: str
    site_id: int
    story_id: int
    comment_id: int
    status: str | None

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))


RESYNC = Message("resync", 0, 0, 0, None)


def message_for(event: events.Event) -> Message | None:
    match event:
        case events.CommentWasPosted():
            return Message("posted", event.site_id, event.story_id, event.comment_id, event.status)
        case events.CommentWasChanged():
            return Message("changed", event.site_id, event.story_id, event.comment_id, event.status)
        case events.CommentWasReported():
            return Message("reported", event.site_id, event.story_id, event.comment_id, None)
    return None


class Subscription:
    """One open stream: the messages for the sites in `site_ids` (None: every site), or for
    one story; a public stream (readers') sees only what readers may learn: no reports, and
    no posts that are not published."""

    def __init__(
        self,
        broker: Broker,
        site_ids: frozenset[int] | None,
        story_id: int | None = None,
        is_public: bool = False,
    ) -> None:
        self.site_ids = site_ids
        self.story_id = story_id
        self.is_public = is_public
        self._broker = broker
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[Message] = asyncio.Queue(QUEUE_SIZE)
        self._fell_behind = False

    def covers(self, message: Message) -> bool:
        if self.story_id is not None and message.story_id != self.story_id:
            return False
        if self.is_public and (
            message.kind == "reported" or (message.kind == "posted" and message.status != PUBLISHED)
        ):
            return False
        return self.site_ids is None or message.site_id in self.site_ids

    def offer(self, message: Message) -> None:
        """Called from any thread; the message is queued on the stream's own loop."""
        try:
            self._loop.call_soon_threadsafe(self._put, message)
        except RuntimeError:
            # Its loop has closed (the server is stopping): nobody will read it again.
            self._broker.unsubscribe(self)

    def _put(self, message: Message) -> None:
        if self._fell_behind:
            return
        try:
            self._queue.put_nowait(message)
        except asyncio.QueueFull:
            # The client missed messages: it gets one resync and reloads what it shows.
            self._fell_behind = True

    async def messages(self) -> AsyncIterator[Message]:
        try:
            while True:
                if self._fell_behind and self._queue.empty():
                    self._fell_behind = False
                    yield RESYNC
                    continue
                yield await self._queue.get()
        finally:
            self._broker.unsubscribe(self)


class Broker:
    """Fans events out to subscriptions. Publishing is thread-safe and never blocks; a story's
    readers are indexed by story, so an event costs only the streams that want it."""

    def __init__(self) -> None:
        self._site_wide: tuple[Subscription, ...] = ()
        self._by_story: dict[int, tuple[Subscription, ...]] = {}
        self._lock = threading.Lock()

    def subscribe(
        self,
        site_ids: frozenset[int] | None,
        *,
        story_id: int | None = None,
        is_public: bool = False,
    ) -> Subscription:
        """A new subscription; call on the event loop that will read it."""
        subscription = Subscription(self, site_ids, story_id, is_public)
        with self._lock:
            if story_id is None:
                self._site_wide = (*self._site_wide, subscription)
            else:
                self._by_story[story_id] = (*self._by_story.get(story_id, ()), subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            if subscription.story_id is None:
                self._site_wide = tuple(
                    item for item in self._site_wide if item is not subscription
                )
                return
            remaining = tuple(
                item
                for item in self._by_story.get(subscription.story_id, ())
                if item is not subscription
            )
            if remaining:
                self._by_story[subscription.story_id] = remaining
            else:
                self._by_story.pop(subscription.story_id, None)

    @property
    def subscriber_count(self) -> int:
        return len(self._site_wide) + sum(len(items) for items in self._by_story.values())

    def on_event(self, event: events.Event) -> None:
        """A Dispatcher listener: runs after commit, on whichever thread committed."""
        message = message_for(event)
        if message is None:
            return
        for subscription in (*self._site_wide, *self._by_story.get(message.story_id, ())):
            if subscription.covers(message):
                subscription.offer(message)
