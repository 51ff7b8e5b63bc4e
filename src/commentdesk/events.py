"""Frozen domain events and their after-commit dispatch.

Services record events on the session; they are delivered only after the transaction commits,
and dropped on rollback, so listeners never see a change that did not happen.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

_PENDING_KEY = "commentdesk_pending_events"


@dataclass(frozen=True)
class Event:
    """Base of all events."""


@dataclass(frozen=True)
class CommentWasPosted(Event):
    site_id: int
    story_id: int
    comment_id: int
    status: str


@dataclass(frozen=True)
class CommentWasChanged(Event):
    """A comment's body, status, reactions or replies changed in a way readers may see;
    `status` is set when the status itself changed."""

    site_id: int
    story_id: int
    comment_id: int
    status: str | None = None


@dataclass(frozen=True)
class StoryWasChanged(Event):
    story_id: int


@dataclass(frozen=True)
class CommentWasReported(Event):
    site_id: int
    story_id: int
    comment_id: int
    flag_id: int


@dataclass(frozen=True)
class CommentAwaitsScores(Event):
    """A comment was stored before every scorer had answered; it is to be scored now."""

    site_id: int
    comment_id: int


@dataclass(frozen=True)
class SiteWasChanged(Event):
    site_id: int


Listener = Callable[[Event], None]


def record(session: Session, item: Event) -> None:
    """Queue `item` for delivery once `session` commits."""
    session.info.setdefault(_PENDING_KEY, []).append(item)


def checkpoint(session: Session) -> int:
    """How many events `session` has queued so far (see discard_since)."""
    return len(session.info.get(_PENDING_KEY, ()))


def discard_since(session: Session, mark: int) -> None:
    """Forget events queued after `mark`: their savepoint was rolled back."""
    pending = session.info.get(_PENDING_KEY)
    if pending is not None:
        del pending[mark:]


class Dispatcher:
    """Delivers recorded events to listeners after the session that recorded them commits."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def dispatch(self, items: list[Event]) -> None:
        for item in items:
            for listener in self._listeners:
                listener(item)

    def attach(self, factory: sessionmaker[Session]) -> None:
        """Hook this dispatcher to every session `factory` makes. Several dispatchers may share
        one factory (two apps on one database, in tests); each gets every event."""
        attached = _ATTACHED.get(factory)
        if attached is None:
            attached = _ATTACHED[factory] = []

            def after_commit(session: Session) -> None:
                items = session.info.pop(_PENDING_KEY, [])
                if items:
                    for dispatcher in list(attached):
                        dispatcher.dispatch(items)

            def after_rollback(session: Session) -> None:
                session.info.pop(_PENDING_KEY, None)

            event.listen(factory, "after_commit", after_commit)
            event.listen(factory, "after_rollback", after_rollback)
        if self not in attached:
            attached.append(self)


_ATTACHED: weakref.WeakKeyDictionary[sessionmaker[Session], list[Dispatcher]] = (
    weakref.WeakKeyDictionary()
)
