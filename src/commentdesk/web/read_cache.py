"""The public read cache: finished thread and count responses, keyed by path and query string,
served (200 or 304) by an ASGI fast path before the framework is entered.

Freshness uses an epoch that every invalidation advances. A response records the epoch read
*before* its database read and the stories it shows; it stays fresh while none of those stories
changed after that epoch. After-commit events do the invalidating, so a change is never missed:
either it committed before the read began, or it bumps a story past the response's epoch.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from commentdesk import events
from commentdesk.web.cors import SiteOrigins

CACHED_PATHS = frozenset({"/api/v1/threads", "/api/v1/counts"})
# Stands for "some story was created": counts that include a URL with no story yet depend on it.
ANY_NEW_STORY = 0


@dataclass(frozen=True)
class CachedResponse:
    story_ids: tuple[int, ...]
    epoch: int
    body: bytes
    etag: bytes


def etag_for(body: bytes) -> bytes:
    return b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'


def cache_key(path: str, query_string: bytes) -> bytes:
    return path.encode() + b"?" + query_string


class ReadCache:
    """A bounded LRU of public responses; thread-safe (the framework's thread pool fills it)."""

    def __init__(self, max_entries: int, max_age: int, origins: SiteOrigins) -> None:
        self.max_entries = max_entries
        self.cache_control = f"public, max-age=0, s-maxage={max_age}".encode()
        self.origins = origins
        self._responses: OrderedDict[bytes, CachedResponse] = OrderedDict()
        self._epoch = 0
        self._floor = 0
        self._changed_at: dict[int, int] = {}
        self._lock = threading.Lock()

    def begin_read(self) -> int:
        """The epoch to store a response with; take it before reading the database."""
        return self._epoch

    def get(self, key: bytes) -> CachedResponse | None:
        cached = self._responses.get(key)
        if cached is None or cached.epoch < self._floor:
            return None
        changed_at = self._changed_at
        for story_id in cached.story_ids:
            if changed_at.get(story_id, -1) > cached.epoch:
                return None
        return cached

    def put(self, key: bytes, cached: CachedResponse) -> None:
        if self.max_entries == 0:
            return
        with self._lock:
            self._responses[key] = cached
            self._responses.move_to_end(key)
            while len(self._responses) > self.max_entries:
                self._responses.popitem(last=False)

    def invalidate(self, story_ids: Iterable[int]) -> None:
        with self._lock:
            self._epoch += 1
            for story_id in story_ids:
                self._changed_at[story_id] = self._epoch

    def invalidate_all(self) -> None:
        with self._lock:
            self._epoch += 1
            self._floor = self._epoch

    def on_event(self, event: events.Event) -> None:
        """After-commit listener."""
        if isinstance(event, events.SiteWasChanged):
            self.invalidate_all()
        elif isinstance(event, events.StoryWasChanged):
            self.invalidate([event.story_id, ANY_NEW_STORY])
        elif isinstance(event, events.CommentWasPosted | events.CommentWasChanged):
            self.invalidate([event.story_id])

    def headers(self, cached: CachedResponse, origin: str | None) -> list[tuple[bytes, bytes]]:
        headers = [
            (b"content-type", b"application/json"),
            (b"etag", cached.etag),
            (b"cache-control", self.cache_control),
            (b"vary", b"Origin"),
        ]
        if origin is not None and origin in self.origins.current():
            headers.append((b"access-control-allow-origin", origin.encode("latin-1")))
            headers.append((b"access-control-expose-headers", b"ETag"))
        return headers

    def respond(
        self, request: Request, *, body: bytes, story_ids: Iterable[int], epoch: int
    ) -> Response:
        """Store a freshly built public response and answer the request with it."""
        cached = CachedResponse(
            story_ids=tuple(sorted(set(story_ids))), epoch=epoch, body=body, etag=etag_for(body)
        )
        self.put(cache_key(request.url.path, request.scope["query_string"]), cached)
        headers = {
            name.decode(): value.decode("latin-1")
            for name, value in self.headers(cached, request.headers.get("origin"))
        }
        if cached.etag.decode() in (request.headers.get("if-none-match") or ""):
            del headers["content-type"]
            return Response(status_code=304, headers=headers)
        return Response(content=body, headers=headers)


class ReadCacheFastPath:
    """Answers cached public reads straight from memory; everything else, and every miss, goes
    on to the app, whose routes fill the cache."""

    def __init__(self, app: ASGIApp, cache: ReadCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] not in CACHED_PATHS:
            await self.app(scope, receive, send)
            return
        cached = self.cache.get(cache_key(scope["path"], scope["query_string"]))
        if cached is None or self.cache.origins.is_stale:
            await self.app(scope, receive, send)
            return
        origin = if_none_match = None
        for name, value in scope["headers"]:
            if name == b"origin":
                origin = value.decode("latin-1")
            elif name == b"if-none-match":
                if_none_match = value
        headers = self.cache.headers(cached, origin)
        if if_none_match is not None and cached.etag in if_none_match:
            await send({"type": "http.response.start", "status": 304, "headers": headers[1:]})
            await send({"type": "http.response.body", "body": b""})
            return
        headers.append((b"content-length", str(len(cached.body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": cached.body})
