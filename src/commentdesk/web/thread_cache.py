"""The public thread cache: finished response bytes keyed by the request's query string, valid
while the story's version is unchanged, and an ASGI fast path that answers hits (and 304s)
before the framework is entered. After-commit events bump a story's version."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from commentdesk import events

THREADS_PATH = "/api/v1/threads"


@dataclass(frozen=True)
class CachedPage:
    story_id: int
    version: int
    body: bytes
    etag: bytes
    origins: frozenset[str]


def etag_for(body: bytes) -> bytes:
    return b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'


class ThreadCache:
    """A bounded LRU of thread pages; thread-safe (the framework's thread pool fills it)."""

    def __init__(self, max_entries: int, max_age: int) -> None:
        self.max_entries = max_entries
        self.cache_control = f"public, max-age=0, s-maxage={max_age}".encode()
        self._pages: OrderedDict[bytes, CachedPage] = OrderedDict()
        self._versions: dict[int, int] = {}
        self._generation = 0
        self._lock = threading.Lock()

    def version(self, story_id: int) -> int:
        """Read this before reading the thread from the database, and store the page with it."""
        return self._versions.get(story_id, 0) + self._generation

    def get(self, key: bytes) -> CachedPage | None:
        page = self._pages.get(key)
        if page is None or page.version != self.version(page.story_id):
            return None
        return page

    def put(self, key: bytes, page: CachedPage) -> None:
        if self.max_entries == 0:
            return
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.max_entries:
                self._pages.popitem(last=False)

    def invalidate_story(self, story_id: int) -> None:
        with self._lock:
            self._versions[story_id] = self._versions.get(story_id, 0) + 1

    def invalidate_all(self) -> None:
        with self._lock:
            # A generation bump outdates every page at once; site text appears on every page.
            self._generation += 1_000_000

    def on_event(self, event: events.Event) -> None:
        """After-commit listener."""
        story_id = getattr(event, "story_id", None)
        if isinstance(event, events.SiteWasChanged):
            self.invalidate_all()
        elif isinstance(story_id, int) and not isinstance(event, events.CommentWasReported):
            self.invalidate_story(story_id)

    def headers(self, page: CachedPage, origin: bytes | None) -> list[tuple[bytes, bytes]]:
        headers = [
            (b"content-type", b"application/json"),
            (b"etag", page.etag),
            (b"cache-control", self.cache_control),
            (b"vary", b"Origin"),
        ]
        if origin is not None and origin.decode("latin-1") in page.origins:
            headers.append((b"access-control-allow-origin", origin))
            headers.append((b"access-control-expose-headers", b"ETag"))
        return headers


class ThreadCacheFastPath:
    """Serves cached thread pages (200 or 304) straight from memory; everything else, and every
    miss, goes on to the app, whose thread route fills the cache."""

    def __init__(self, app: ASGIApp, cache: ThreadCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != THREADS_PATH or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        page = self.cache.get(scope["query_string"])
        if page is None:
            await self.app(scope, receive, send)
            return
        origin = if_none_match = None
        for name, value in scope["headers"]:
            if name == b"origin":
                origin = value
            elif name == b"if-none-match":
                if_none_match = value
        headers = self.cache.headers(page, origin)
        if if_none_match is not None and page.etag in if_none_match:
            await send({"type": "http.response.start", "status": 304, "headers": headers[1:]})
            await send({"type": "http.response.body", "body": b""})
            return
        headers.append((b"content-length", str(len(page.body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": page.body})
