"""CORS for host pages: the allowed origins are every site's origins, read from the database.

The set is loaded in a worker thread, never on the event loop: on the first request, after a site
changes, and every 30 seconds (to see other processes' changes). Only the request that starts a
reload waits for it; others meanwhile use the set they have.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import anyio.to_thread
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from commentdesk import events

REFRESH_SECONDS = 30.0


class SiteOrigins:
    """A cached set of allowed origins, loaded by `load` (a blocking database read)."""

    def __init__(self, load: Callable[[], frozenset[str]]) -> None:
        self._load = load
        self._origins: frozenset[str] = frozenset()
        self._loaded_at = float("-inf")
        self._has_loaded = False
        self._loading: asyncio.Future[None] | None = None

    def current(self) -> frozenset[str]:
        return self._origins

    @property
    def is_stale(self) -> bool:
        return time.monotonic() - self._loaded_at > REFRESH_SECONDS

    async def refresh_if_stale(self) -> None:
        """Reload in a worker thread when stale, one reload at a time. Other requests go on with
        the set they have, except before the first load completes: those wait for it."""
        if self._loading is not None:
            if not self._has_loaded:
                await asyncio.shield(self._loading)
            return
        if not self.is_stale:
            return
        self._loading = asyncio.get_running_loop().create_future()
        try:
            started = time.monotonic()
            self._origins = await anyio.to_thread.run_sync(self._load)
            self._loaded_at = started
            self._has_loaded = True
        finally:
            self._loading.set_result(None)
            self._loading = None

    def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.SiteWasChanged):
            self._loaded_at = float("-inf")


class SiteCORSMiddleware(CORSMiddleware):
    """Starlette's CORS handling, with the allow list taken from the sites table."""

    def __init__(self, app: ASGIApp, origins: SiteOrigins) -> None:
        super().__init__(
            app,
            allow_origins=[],
            allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-None-Match"],
            expose_headers=["ETag"],
            max_age=600,
        )
        self.site_origins = origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.site_origins.is_stale:
            await self.site_origins.refresh_if_stale()
        await super().__call__(scope, receive, send)

    def is_allowed_origin(self, origin: str) -> bool:
        return origin in self.site_origins.current()
