"""Server-sent event responses for the broker's subscriptions: a first `ready`, then `comment`
events (or `resync` when the stream fell behind), with keep-alive pings. Used by the desk and
by readers' threads."""

from __future__ import annotations

from collections.abc import AsyncIterator

from sse_starlette import EventSourceResponse, ServerSentEvent

from commentdesk.realtime.broker import RESYNC, Broker, Subscription

PING_SECONDS = 15


def event_stream(broker: Broker, subscription: Subscription) -> EventSourceResponse:
    async def events() -> AsyncIterator[ServerSentEvent]:
        try:
            yield ServerSentEvent(data="{}", event="ready")
            async for message in subscription.messages():
                event = "resync" if message is RESYNC else "comment"
                yield ServerSentEvent(data=message.to_json(), event=event)
        finally:
            broker.unsubscribe(subscription)

    return EventSourceResponse(events(), ping=PING_SECONDS, headers={"Cache-Control": "no-store"})
