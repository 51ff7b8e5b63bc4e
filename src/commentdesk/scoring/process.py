"""Scorers in a process of their own.

The built-in scorers' work is mostly Python (n-grams, the spam rules, constructiveness's
signals), which holds the interpreter lock while it runs: in the server's own process it takes
turns with the requests. In a child process it runs on another core, and the server's process
only sends texts and receives scores.

The child runs the same worker threads as the runner does in-process (`ScorerWorker`, one per
scorer or per `thread_group`), so batching and a failing scorer behave the same; each scorer's
result for each comment comes back as soon as it is ready, and the runner applies its time
budget to those as it does to its own threads. If the child dies, everything it was scoring
fails (recorded as data, as any scorer's failure is), and the next comment starts a new
child."""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import Future
from functools import partial
from multiprocessing.connection import Connection
from typing import Any

from commentdesk.scoring.protocol import Score, Scorer, ScoringContext
from commentdesk.scoring.worker import ScorerWorker, groups, scorer_name

logger = logging.getLogger(__name__)

# Seconds the child has to finish what it is scoring when asked to stop.
STOP_SECONDS = 30.0
# A child that died before any scorer loaded (a model that crashes its process on load) is not
# started again sooner than this: each comment would otherwise start one.
RESTART_SECONDS = 30.0
ARENA_SETTING = "MALLOC_ARENA_MAX"
# A child that has had comments to score for this long without answering anything is stuck (a
# model hung in native code): it is ended, its comments fail (to be scored after the write), and
# the next comment starts a new one. Posting sends to the child from the event loop, so a child
# that stops reading must not be left to fill the pipe.
STUCK_SECONDS = 60.0
# How often the reader looks for a stuck child while it waits for answers.
WATCH_SECONDS = 1.0


class ScoringProcessDied(RuntimeError):
    """The child process ended while a comment was being scored."""


class ScorerFailedRemotely(RuntimeError):
    """A scorer raised in the child process; the message is the child's."""


class _Request:
    """One `submit_many` call: its futures, and how many scorers have not answered yet."""

    def __init__(self, futures: dict[str, list[Future[list[Score]]]], generation: int) -> None:
        self.futures = futures
        self.generation = generation  # which child it went to
        self.left = len(futures)  # scorers that have not answered
        self.sent_at = time.monotonic()


class ScoringProcess:
    """A child process holding `scorers` (which must pickle: they travel to the child before
    loading their models), with one worker thread per scorer there."""

    def __init__(self, scorers: Sequence[Scorer], max_batch: int) -> None:
        self.names = [scorer_name(scorer) for scorer in scorers]
        self._scorers = list(scorers)
        self._max_batch = max_batch
        self._lock = threading.Lock()
        self._requests = itertools.count()
        self._pending: dict[int, _Request] = {}
        self._closed = False
        self.loaded = {name: threading.Event() for name in self.names}
        self.starts = 0
        self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        self._process = context.Process(
            target=_child,
            args=(theirs, self._scorers, self._max_batch),
            name="commentdesk-scorers",
            daemon=True,
        )
        with _child_environment():
            self._process.start()
        theirs.close()
        self._connection = ours
        self._ended = False
        self._started_at = time.monotonic()
        self._any_loaded = False  # whether this child has loaded a scorer yet
        self._heard_at = time.monotonic()  # when this child last sent anything
        self.starts += 1
        self._reader = threading.Thread(
            target=self._read, args=(ours, self.starts), name="scorers-reader", daemon=True
        )
        self._reader.start()

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def submit_many(
        self, texts: Sequence[str], contexts: Sequence[ScoringContext], names: Collection[str]
    ) -> dict[str, list[Future[list[Score]]]]:
        """Send the texts to the named scorers; one future per scorer per text."""
        futures: dict[str, list[Future[list[Score]]]] = {
            name: [Future() for _ in texts] for name in self.names if name in names
        }
        if not futures:
            return futures
        message = ("score", list(futures), list(texts), list(contexts))
        with self._lock:
            if self._closed:
                _fail(futures, ScoringProcessDied("the scoring process is closed"))
                return futures
            # A child that is gone (its reader saw the pipe close, or the send below finds it
            # broken) is replaced, and the texts go to the new one.
            for attempt in range(2):
                if self._crashing():
                    _fail(futures, ScoringProcessDied("the scoring process keeps failing"))
                    return futures
                if self._ended or not self._process.is_alive():
                    logger.warning("the scoring process had ended; starting a new one")
                    for event in self.loaded.values():
                        event.clear()
                    self._start()
                request = next(self._requests)
                self._pending[request] = _Request(futures, self.starts)
                try:
                    self._connection.send((message[0], request, *message[1:]))
                    break
                except (OSError, ValueError) as error:
                    del self._pending[request]
                    self._ended = True
                    if attempt:
                        _fail(futures, ScoringProcessDied(f"no scoring process: {error}"))
        return futures

    def _crashing(self) -> bool:
        """Whether the child died before loading anything, and recently: not restarted yet."""
        ended = self._ended or not self._process.is_alive()
        recent = time.monotonic() - self._started_at < RESTART_SECONDS
        return ended and not self._any_loaded and recent

    def _read(self, connection: Connection, generation: int) -> None:
        """Hands each answer from the child to its future, until the child ends."""
        while True:
            try:
                if not connection.poll(WATCH_SECONDS):
                    self._end_if_stuck(generation)
                    continue
                message = connection.recv()
            except (EOFError, OSError):
                break
            self._heard_at = time.monotonic()
            if message[0] == "loaded":
                with self._lock:
                    if generation == self.starts:
                        self._any_loaded = True
                self.loaded[message[1]].set()
                continue
            _, request, name, results = message
            with self._lock:
                pending = self._pending.get(request)
                if pending is None:
                    continue
                answered = pending.futures[name]
                pending.left -= 1
                if not pending.left:
                    del self._pending[request]
            for future, (scores, error) in zip(answered, results, strict=True):
                if error is None:
                    future.set_result(scores)
                else:
                    future.set_exception(ScorerFailedRemotely(error))
        with self._lock:
            orphaned = [
                request
                for request, pending in self._pending.items()
                if pending.generation == generation
            ]
            failing = [self._pending.pop(request).futures for request in orphaned]
            current = generation == self.starts
            if current:
                self._ended = True  # the next comment starts a new child
        for lost in failing:
            _fail(lost, ScoringProcessDied("the scoring process ended"))
        if current:
            # Nobody should wait on a model that will not load in this child any more.
            for event in self.loaded.values():
                event.set()

    def _end_if_stuck(self, generation: int) -> None:
        """End the child if it has owed an answer for `STUCK_SECONDS` and said nothing since;
        the reader then sees the pipe close and fails what it was scoring."""
        now = time.monotonic()
        with self._lock:
            owed = [p.sent_at for p in self._pending.values() if p.generation == generation]
            stuck = (
                generation == self.starts
                and bool(owed)
                and now - min(owed) > STUCK_SECONDS
                and now - self._heard_at > STUCK_SECONDS
            )
        if stuck:
            logger.error(
                "the scoring process answered nothing for %.0f s; ending it", STUCK_SECONDS
            )
            self._process.kill()

    def close(self, timeout: float = STOP_SECONDS) -> None:
        """Ask the child to finish what it is scoring and stop; end it if it does not."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            with contextlib.suppress(OSError, ValueError):
                self._connection.send(("stop",))
        self._process.join(timeout)
        if self._process.is_alive():
            logger.warning("the scoring process did not stop in %.0f s; ending it", timeout)
            self._process.kill()
            self._process.join(5)
        self._reader.join(5)
        self._connection.close()


@contextlib.contextmanager
def _child_environment() -> Iterator[None]:
    """The child's environment: glibc's malloc arenas capped at two (unless set already). The
    models' threads otherwise keep freed memory in an arena each: the transformer's scoring
    process held 623 MB after 1,000 comments, 537 MB with the cap, and ran no slower."""
    if ARENA_SETTING in os.environ:
        yield
        return
    os.environ[ARENA_SETTING] = "2"
    try:
        yield
    finally:
        os.environ.pop(ARENA_SETTING, None)


def _fail(futures: dict[str, list[Future[list[Score]]]], error: Exception) -> None:
    for group in futures.values():
        for future in group:
            if not future.done():
                future.set_exception(error)


class _Countdown:
    """Calls `then` once `count` futures are done."""

    def __init__(self, count: int, then: Callable[[], None]) -> None:
        self._left = count
        self._lock = threading.Lock()
        self._then = then

    def one_done(self, _future: Future[list[Score]]) -> None:
        with self._lock:
            self._left -= 1
            finished = not self._left
        if finished:
            self._then()


def _child(connection: Connection, scorers: list[Scorer], max_batch: int) -> None:
    """The child's main: load the scorers (each in its worker thread), then score what comes."""
    # Ctrl-C reaches the whole process group; the server stops this process itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sending = threading.Lock()

    def send(message: tuple[Any, ...]) -> None:
        with sending, contextlib.suppress(OSError, ValueError):
            connection.send(message)

    workers = [ScorerWorker(group, max_batch) for group in groups(scorers)]

    def report_loaded(worker: ScorerWorker) -> None:
        worker.loaded.wait()
        for name in worker.names:
            send(("loaded", name))

    for worker in workers:
        threading.Thread(target=report_loaded, args=(worker,), daemon=True).start()

    def answer(request: int, name: str, futures: list[Future[list[Score]]]) -> None:
        """One message per scorer per request, once the scorer has scored all its texts."""
        results: list[tuple[list[Score] | None, str | None]] = []
        for future in futures:
            error = future.exception()
            if error is None:
                results.append((future.result(), None))
            else:
                results.append((None, f"{type(error).__name__}: {error}"))
        send(("scores", request, name, results))

    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            break  # the server is gone
        if message[0] == "stop":
            break
        _, request, names, texts, contexts = message
        for worker in workers:
            for name, futures in worker.submit_many(texts, contexts, names).items():
                left = _Countdown(len(futures), partial(answer, request, name, futures))
                for future in futures:
                    future.add_done_callback(left.one_done)
    for worker in workers:
        worker.stop()
    for worker in workers:
        worker.thread.join(STOP_SECONDS)
    connection.close()
