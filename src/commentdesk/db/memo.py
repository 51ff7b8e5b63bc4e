"""Memos: per-database, in-process maps for look-ups whose answer never changes once found
(a token's account, a URL's story id), so a hot path can skip a query. Thread-safe, bounded and
expiring, on cachetools. They ride on the session factory's `info`, so every session of one
database shares them and a test's factory gets fresh ones."""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any

from cachetools import TTLCache
from sqlalchemy.orm import Session, sessionmaker

INFO_KEY = "commentdesk_memos"


class Memo:
    def __init__(self, *, max_entries: int = 100_000, ttl_seconds: float = 300.0) -> None:
        self._entries: TTLCache[Hashable, Any] = TTLCache(maxsize=max_entries, ttl=ttl_seconds)
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            return self._entries.get(key)

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = value

    def discard(self, key: Hashable) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def new_memos() -> dict[str, Memo]:
    """The memos one database's session factories share."""
    return {
        "tokens": Memo(ttl_seconds=60.0),
        "story_ids": Memo(),
        # Keyed by (site id, settings version): a new version is a new key.
        "moderation": Memo(max_entries=1_000),
        # A site's live stories for relative relevance: a minute old at most is fresh enough.
        "live_stories": Memo(max_entries=1_000, ttl_seconds=60.0),
        # What the scorers see of a top-level comment's story, by story id: as fresh as the
        # live stories it holds. Both are forgotten when a story changes (moderation/context.py).
        "scoring_contexts": Memo(max_entries=10_000, ttl_seconds=60.0),
    }


def memo(session: Session, name: str) -> Memo | None:
    """The named memo of `session`'s database; None for sessions made without memos."""
    return _named(session.info, name)


def factory_memo(factory: sessionmaker[Session], name: str) -> Memo | None:
    """The named memo of the database `factory` makes sessions for, without opening one."""
    return _named(factory.kw.get("info") or {}, name)


def _named(info: dict[str, Any], name: str) -> Memo | None:
    memos: dict[str, Memo] | None = info.get(INFO_KEY)
    return memos.get(name) if memos else None


_PINNED_KEY = "commentdesk_pinned"


def pin(session: Session, item: object) -> None:
    """Keep `item` in `session`'s identity map for the session's life. The map holds objects
    weakly; a writer session serves a whole batch of requests, and the same story or account
    would otherwise be loaded again for each one."""
    session.info.setdefault(_PINNED_KEY, []).append(item)
