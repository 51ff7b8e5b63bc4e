"""The live-update broker: events reach the streams whose sites they concern, from any thread,
and a stream that falls behind is told to resync instead of blocking the writer."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from commentdesk import events
from commentdesk.realtime import broker as realtime
from commentdesk.realtime.broker import Broker, Message

Result = TypeVar("Result")


def posted(site_id: int, comment_id: int) -> events.CommentWasPosted:
    return events.CommentWasPosted(
        site_id=site_id, story_id=7, comment_id=comment_id, status="pending"
    )


def run(scenario: Callable[[], Coroutine[Any, Any, Result]]) -> Result:
    """Run `scenario` on a loop of its own thread: Playwright's sync API (the browser tests in
    the same session) keeps a loop running on the main thread."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, scenario()).result(timeout=30)


async def take(subscription: realtime.Subscription, count: int) -> list[Message]:
    stream = subscription.messages()
    return [await asyncio.wait_for(anext(stream), timeout=2) for _ in range(count)]


def test_streams_get_only_their_sites_events_even_from_another_thread() -> None:
    async def scenario() -> tuple[list[Message], list[Message], int]:
        broker = Broker()
        everything = broker.subscribe(None)
        site_two = broker.subscribe(frozenset({2}))
        writer = threading.Thread(
            target=lambda: [broker.on_event(posted(site, site * 10)) for site in (1, 2, 3)]
        )
        writer.start()
        writer.join()
        broker.on_event(events.StoryWasChanged(story_id=7))  # not a comment: no message
        subscribers = broker.subscriber_count
        return await take(everything, 3), await take(site_two, 1), subscribers

    everything, site_two, subscribers = run(scenario)
    assert [message.comment_id for message in everything] == [10, 20, 30]
    assert site_two == [Message("posted", 2, 7, 20, "pending")]
    assert subscribers == 2


def test_a_stream_that_falls_behind_is_told_to_resync() -> None:
    async def scenario() -> list[Message]:
        broker = Broker()
        subscription = broker.subscribe(None)
        for number in range(realtime.QUEUE_SIZE + 5):
            broker.on_event(posted(1, number + 1))
        await asyncio.sleep(0)  # let the queued deliveries run on this loop
        received = await take(subscription, realtime.QUEUE_SIZE + 1)
        return received[-2:]

    tail = run(scenario)
    assert tail[0].comment_id == realtime.QUEUE_SIZE
    assert tail[1] == realtime.RESYNC


def test_a_closed_stream_leaves_the_broker() -> None:
    async def scenario() -> int:
        broker = Broker()
        subscription = broker.subscribe(None)
        stream = subscription.messages()
        broker.on_event(posted(1, 1))
        await asyncio.wait_for(anext(stream), timeout=2)
        await stream.aclose()
        return broker.subscriber_count

    assert run(scenario) == 0


def test_changed_events_carry_the_new_status_when_there_is_one() -> None:
    changed = events.CommentWasChanged(site_id=1, story_id=2, comment_id=3, status="rejected")
    reacted = events.CommentWasChanged(site_id=1, story_id=2, comment_id=3)
    assert realtime.message_for(changed) == Message("changed", 1, 2, 3, "rejected")
    assert realtime.message_for(reacted) == Message("changed", 1, 2, 3, None)
    reported = events.CommentWasReported(site_id=1, story_id=2, comment_id=3, flag_id=9)
    assert realtime.message_for(reported) == Message("reported", 1, 2, 3, None)
    assert '"comment_id":3' in Message("changed", 1, 2, 3, None).to_json()


def test_a_readers_stream_hears_only_its_story_and_only_what_readers_may_know() -> None:
    async def scenario() -> tuple[list[Message], int]:
        broker = Broker()
        readers = broker.subscribe(frozenset({1}), story_id=7, is_public=True)
        broker.on_event(events.CommentWasReported(site_id=1, story_id=7, comment_id=1, flag_id=1))
        broker.on_event(posted(1, 2))  # pending: readers do not learn of it
        broker.on_event(
            events.CommentWasPosted(site_id=1, story_id=8, comment_id=3, status="approved")
        )
        broker.on_event(
            events.CommentWasPosted(site_id=1, story_id=7, comment_id=4, status="approved")
        )
        broker.on_event(events.CommentWasChanged(site_id=1, story_id=7, comment_id=4))
        subscribers = broker.subscriber_count
        return await take(readers, 2), subscribers

    heard, subscribers = run(scenario)
    assert heard == [
        Message("posted", 1, 7, 4, "approved"),
        Message("changed", 1, 7, 4, None),
    ]
    assert subscribers == 1
