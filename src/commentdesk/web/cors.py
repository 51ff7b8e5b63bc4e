"""CORS for host pages: the allowed origins are every site's origins, read from the database and
refreshed when a site changes (or at least every 30 seconds, for other processes' changes)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp

from commentdesk import events

REFRESH_SECONDS = 30.0


class SiteOrigins:
    """A cached set of allowed origins, loaded by `load`."""

    def __init__(self, load: Callable[[], frozenset[str]]) -> None:
        self._load = load
        self._origins: frozenset[str] = frozenset()
        self._loaded_at = float("-inf")
        self._lock = threading.Lock()

    def current(self) -> frozenset[str]:
        if time.monotonic() - self._loaded_at > REFRESH_SECONDS:
            with self._lock:
                self._origins = self._load()
                self._loaded_at = time.monotonic()
        return self._origins

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

    def is_allowed_origin(self, origin: str) -> bool:
        return origin in self.site_origins.current()
