"""The write queue: units of work that change the database run on dedicated writer threads,
many to a transaction (group commit), each inside its own SAVEPOINT.

SQLite has one writer at a time; handing each request's write to a pool thread makes dozens of
threads queue for that lock and fight for the GIL. One writer thread that takes whatever has
queued up and commits it together does the same work with one commit per batch. A unit of work
that fails rolls back its savepoint alone; its caller gets the error, the rest of the batch
commits. Callers get their result only after the batch has committed, so an acknowledged write
is durable. Knows nothing of HTTP.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from commentdesk import events

logger = logging.getLogger(__name__)
Result = TypeVar("Result")
MAX_BATCH = 64


@dataclass
class _Job:
    work: Callable[[Session], Any]
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop


_STOP = object()


class WriteQueue:
    """Runs write units of work on `workers` threads (1 for SQLite), batched per transaction."""

    def __init__(self, factory: sessionmaker[Session], *, workers: int = 1) -> None:
        self.factory = factory
        self.workers = workers
        self._jobs: queue.SimpleQueue[_Job | object] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    async def run(self, work: Callable[[Session], Result]) -> Result:
        """Run `work(session)` on a writer thread; returns its value once it has committed."""
        self._ensure_started()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Result] = loop.create_future()
        self._jobs.put(_Job(work, future, loop))
        return await future

    def _ensure_started(self) -> None:
        if self._threads:
            return
        with self._lock:
            if self._threads:
                return
            for number in range(self.workers):
                thread = threading.Thread(
                    target=self._serve, name=f"commentdesk-writer-{number}", daemon=True
                )
                thread.start()
                self._threads.append(thread)

    def stop(self) -> None:
        """Finish what is queued, then end the writer threads."""
        with self._lock:
            for _ in self._threads:
                self._jobs.put(_STOP)
            for thread in self._threads:
                thread.join(timeout=30)
            self._threads = []

    def _serve(self) -> None:
        while True:
            first = self._jobs.get()
            if first is _STOP:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    item = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    self._jobs.put(_STOP)
                    break
                batch.append(item)
            self._commit_batch([job for job in batch if isinstance(job, _Job)])

    def _commit_batch(self, batch: list[_Job]) -> None:
        """Run the batch in one transaction. If a unit of work fails, the transaction is rolled
        back, that unit gets its error, and the others run again, each in its own savepoint.
        Failures are rare (most bad input is refused before a write), so the common case pays for
        no savepoints."""
        outcomes = self._run(batch, isolate=False)
        failed = [(job, error) for job, _, error in outcomes if error is not None]
        if failed and len(batch) > 1:
            first_job, first_error = failed[0]
            rest = [job for job in batch if job is not first_job]
            outcomes = [(first_job, None, first_error), *self._run(rest, isolate=True)]
        # One wake-up per event loop for the whole batch, not one per request.
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[_Job, Any, BaseException | None]]] = {}
        for outcome in outcomes:
            by_loop.setdefault(outcome[0].loop, []).append(outcome)
        for loop, settled in by_loop.items():
            loop.call_soon_threadsafe(_settle_all, settled)

    def _run(
        self, batch: list[_Job], *, isolate: bool
    ) -> list[tuple[_Job, Any, BaseException | None]]:
        outcomes: list[tuple[_Job, Any, BaseException | None]] = []
        with self.factory() as session:
            for job in batch:
                mark = events.checkpoint(session)
                try:
                    if isolate:
                        with session.begin_nested():
                            value = job.work(session)
                    else:
                        value = job.work(session)
                except Exception as error:
                    if not isolate:
                        session.rollback()
                        return [(job, None, error)]
                    events.discard_since(session, mark)
                    outcomes.append((job, None, error))
                else:
                    outcomes.append((job, value, None))
            try:
                session.commit()
            except Exception as commit_error:
                logger.exception("a batch of %d writes failed to commit", len(batch))
                return [(job, None, commit_error) for job, _, _ in outcomes]
        return outcomes


def _settle_all(outcomes: list[tuple[_Job, Any, BaseException | None]]) -> None:
    for job, value, error in outcomes:
        if job.future.done():  # the request went away; its write stands
            continue
        if error is not None:
            job.future.set_exception(error)
        else:
            job.future.set_result(value)
