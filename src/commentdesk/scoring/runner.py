"""The scoring runner: runs every scorer on a comment within a time budget, batching comments
that arrive together, and records a scorer that fails or runs late as data, never as an error.

Each scorer has its own worker thread and queue, unless scorers share one (`worker.groups`: the
built-in scorers do). A comment's texts go to every worker's queue at once; a worker takes
whatever has queued up (up to `max_batch`), scores it in one call per scorer, and hands back
each comment's scores from each scorer as soon as that scorer is done. The caller waits until
the budget runs out; a scorer that has not answered by then is `late` for that comment (its
work still finishes, and is dropped)."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import pickle
import threading
import time
from collections.abc import Collection, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial

from commentdesk.scoring.process import ScoringProcess
from commentdesk.scoring.protocol import Score, Scorer, ScoringContext
from commentdesk.scoring.worker import ScorerWorker, groups, scorer_name

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What the scorers said of one comment: their scores, and those that failed or ran late."""

    scores: tuple[Score, ...] = ()
    failed: tuple[str, ...] = ()
    late: tuple[str, ...] = ()
    milliseconds: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def is_complete(self) -> bool:
        return not self.failed and not self.late


def _outcome(
    futures: Sequence[tuple[str, Future[list[Score]]]], milliseconds: dict[str, float]
) -> Outcome:
    """One comment's outcome from its scorers' futures as they stand: a future not done is a
    late scorer, one that raised a failed scorer (the worker already logged it)."""
    scores: list[Score] = []
    failed: list[str] = []
    late: list[str] = []
    for name, future in futures:
        if not future.done():
            late.append(name)
        elif future.exception() is not None:
            failed.append(name)
        else:
            scores.extend(future.result())
    return Outcome(tuple(scores), tuple(failed), tuple(late), milliseconds)


def _travels(scorer: Scorer) -> bool:
    """Whether a scorer can be sent to a child process (it pickles)."""
    try:
        pickle.dumps(scorer)
    # A plugin's scorer may fail to pickle in many ways; it then stays in this process.
    except Exception:
        logger.info("scorer %s does not pickle; it runs in the server's process", scorer)
        return False
    return True


class Runner:
    """Runs the registered scorers. `budget_seconds` bounds how long one comment waits.

    With `separate_process`, the scorers that can travel (pickle) run in a child process
    (`scoring.process`), on another core; the others, and all of them without it, run in
    worker threads of this process."""

    def __init__(
        self,
        scorers: Sequence[Scorer],
        *,
        budget_seconds: float = 0.5,
        max_batch: int = 32,
        processes: int = 0,
    ) -> None:
        self.budget_seconds = budget_seconds
        travels = [bool(processes) and _travels(scorer) for scorer in scorers]
        remote = [scorer for scorer, away in zip(scorers, travels, strict=True) if away]
        local = [scorer for scorer, away in zip(scorers, travels, strict=True) if not away]
        self._workers = [ScorerWorker(group, max_batch) for group in groups(local)]
        self.processes = [
            ScoringProcess(remote[start::processes], max_batch)
            for start in range(min(processes, len(remote)))
        ]
        self._names = [scorer_name(scorer) for scorer in scorers]
        # A process that exits while a worker is still in native model code (loading at
        # start) aborts; a runner whose app never ran its shutdown stops its workers here.
        if scorers:
            atexit.register(self.close)

    def __bool__(self) -> bool:
        return bool(self._names)

    @property
    def names(self) -> list[str]:
        return list(self._names)

    def wait_loaded(self, timeout: float) -> bool:
        """Wait until every scorer has loaded its model (or failed to), at most `timeout`
        seconds in all; whether they all did."""
        deadline = time.monotonic() + timeout
        events = [worker.loaded for worker in self._workers]
        for process in self.processes:
            events.extend(process.loaded.values())
        return all(event.wait(max(0.0, deadline - time.monotonic())) for event in events)

    def score(self, text: str, context: ScoringContext) -> Outcome:
        return self.score_many([text], [context])[0]

    def skipped(self) -> Outcome:
        """The outcome of not waiting at all (a zero budget): every scorer is late, and the
        comment is scored after it is stored."""
        return Outcome(late=tuple(self.names))

    def score_many(
        self,
        texts: Sequence[str],
        contexts: Sequence[ScoringContext],
        *,
        budget_seconds: float | None = None,
        only: Collection[str] | None = None,
    ) -> list[Outcome]:
        """Score every text with every scorer (or those named in `only`); waits at most the
        budget (per call; the runner's own unless given)."""
        started = time.perf_counter()
        deadline = started + (self.budget_seconds if budget_seconds is None else budget_seconds)
        pending = self._submit(texts, contexts, only)
        answered: list[dict[str, float]] = [{} for _ in texts]
        for name, futures in pending:
            for index, future in enumerate(futures):
                with contextlib.suppress(Exception):
                    future.exception(timeout=max(0.0, deadline - time.perf_counter()))
                answered[index][name] = (time.perf_counter() - started) * 1000
        return [
            _outcome([(name, futures[index]) for name, futures in pending], answered[index])
            for index in range(len(texts))
        ]

    async def score_soon(self, text: str, context: ScoringContext) -> Outcome:
        """`score` for the event loop: the texts are queued from the loop, and the loop is woken
        once, when every scorer has answered or the budget has run out. No thread waits."""
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        futures = [(name, futures[0]) for name, futures in self._submit([text], [context], None)]
        answered: dict[str, float] = {}
        everyone = loop.create_future()
        left = len(futures)
        lock = threading.Lock()

        def settle() -> None:
            if not everyone.done():
                everyone.set_result(None)

        def arrived(name: str, _future: Future[list[Score]]) -> None:
            nonlocal left
            with lock:
                answered[name] = (time.perf_counter() - started) * 1000
                left -= 1
                last = not left
            if last:
                with contextlib.suppress(RuntimeError):  # the loop has closed
                    loop.call_soon_threadsafe(settle)

        for name, future in futures:
            future.add_done_callback(partial(arrived, name))
        if futures:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(everyone, self.budget_seconds)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            return _outcome(futures, {name: answered.get(name, elapsed) for name, _ in futures})

    def _submit(
        self,
        texts: Sequence[str],
        contexts: Sequence[ScoringContext],
        only: Collection[str] | None,
    ) -> list[tuple[str, list[Future[list[Score]]]]]:
        """Queue the texts with every scorer (or those in `only`): one future per text each."""
        pending = [
            item
            for worker in self._workers
            for item in worker.submit_many(texts, contexts, only).items()
        ]
        for process in self.processes:
            wanted = process.names if only is None else only
            pending.extend(process.submit_many(texts, contexts, wanted).items())
        return pending

    def close(self, timeout: float = 30.0) -> None:
        """Stop the workers and wait for them: a model still loading or scoring finishes
        first (a process must not exit in the middle of native model code)."""
        for worker in self._workers:
            worker.stop()
        for process in self.processes:
            process.close(timeout)
        for worker in self._workers:
            worker.thread.join(timeout=timeout)
