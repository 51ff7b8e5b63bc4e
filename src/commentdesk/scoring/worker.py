"""Scorers' worker threads: a worker loads its scorers' models once, off the caller's thread,
then takes whatever comments have queued up (up to `max_batch`) and scores them, one scorer
after another, each scorer's results handed to their futures as soon as that scorer is done.
The runner keeps its workers in the server's process, and a scoring process (`process.py`)
keeps them in the child.

Each scorer has a worker of its own, unless it names a `thread_group`: scorers naming the same
one share a worker (`groups`). The built-in scorers share one. Their work is mostly Python,
which holds the interpreter lock, so in threads of their own they only took turns, and paid
for every switch: with one thread for the four in the scoring process, posting with the
assistant inline rose from 398-421 to 483-503 posts a second in paired runs (2026-12-07).
A plugin's scorer keeps its own thread unless it asks, so a slow plugin model never holds up
the built-in scores."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Collection, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from commentdesk.scoring.protocol import BatchScorer, Loadable, Score, Scorer, ScoringContext

logger = logging.getLogger(__name__)

WARM_UP_TEXT = "Thanks for the report; the council should publish the figures."
WARM_UP_CONTEXT = ScoringContext(
    site_id=0,
    story_title="Council publishes its budget",
    story_text="The council published its budget for next year on Monday.",
    other_stories=(("A new bridge opens", "The bridge over the river opened on Friday."),),
)


@dataclass
class _Job:
    text: str
    context: ScoringContext
    futures: dict[str, Future[list[Score]]]  # by scorer name: the scorers asked for


def scorer_name(scorer: Scorer) -> str:
    return str(getattr(scorer, "name", type(scorer).__name__))


def groups(scorers: Sequence[Scorer]) -> list[list[Scorer]]:
    """The scorers as their workers hold them, in order of first appearance: those naming
    the same `thread_group` together, every other scorer alone."""
    grouped: dict[object, list[Scorer]] = {}
    for index, scorer in enumerate(scorers):
        group = getattr(scorer, "thread_group", None)
        key = ("group", group) if isinstance(group, str) and group else ("alone", index)
        grouped.setdefault(key, []).append(scorer)
    return list(grouped.values())


class ScorerWorker:
    """One thread for one or more scorers (`groups`): takes queued jobs in batches and has
    each scorer score them in turn."""

    def __init__(self, scorers: Sequence[Scorer], max_batch: int) -> None:
        self.scorers = list(scorers)
        self.names = [scorer_name(scorer) for scorer in self.scorers]
        self.max_batch = max_batch
        self.jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self.loaded = threading.Event()
        # Held while one caller queues several comments, so they reach the model together.
        self._queueing = threading.Lock()
        self.thread = threading.Thread(
            target=self._run, name=f"scorer-{'+'.join(self.names)}", daemon=True
        )
        self.thread.start()

    def submit_many(
        self,
        texts: Sequence[str],
        contexts: Sequence[ScoringContext],
        only: Collection[str] | None = None,
    ) -> dict[str, list[Future[list[Score]]]]:
        """Queue the texts for this worker's scorers (those in `only`, if given): one future
        per scorer per text. Nothing is queued when none of them is asked for."""
        names = [name for name in self.names if only is None or name in only]
        futures: dict[str, list[Future[list[Score]]]] = {name: [] for name in names}
        if not names:
            return futures
        with self._queueing:
            for text, context in zip(texts, contexts, strict=True):
                job = _Job(text, context, {name: Future() for name in names})
                for name in names:
                    futures[name].append(job.futures[name])
                self.jobs.put(job)
        return futures

    def stop(self) -> None:
        self.jobs.put(None)

    def _run(self) -> None:
        # The model loads here, once, when the app starts: off the request path.
        self._load()
        self.loaded.set()
        while True:
            first = self.jobs.get()
            if first is None:
                return
            with self._queueing:
                pass  # a caller queueing several comments at once has finished
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    job = self.jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    self.jobs.put(None)  # finish this batch, then stop
                    break
                batch.append(job)
            self._score(batch)

    def _load(self) -> None:
        for scorer, name in zip(self.scorers, self.names, strict=True):
            if not isinstance(scorer, Loadable):
                continue
            try:
                scorer.load()
                # One comment scored at start: a model's first run costs several times a
                # usual one, and would otherwise make the first reader's comment late.
                scorer.score(WARM_UP_TEXT, WARM_UP_CONTEXT)
            # A plugin's model may fail to load in any way; its scoring then fails per comment.
            except Exception:
                logger.exception("scorer %s could not load", name)

    def _score(self, batch: list[_Job]) -> None:
        for scorer, name in zip(self.scorers, self.names, strict=True):
            jobs = [job for job in batch if name in job.futures]
            if jobs:
                self._score_with(scorer, name, jobs)

    @staticmethod
    def _score_with(scorer: Scorer, name: str, jobs: list[_Job]) -> None:
        try:
            if isinstance(scorer, BatchScorer):
                results = scorer.score_batch(
                    [job.text for job in jobs], [job.context for job in jobs]
                )
                if len(results) != len(jobs):
                    raise ValueError(f"{len(results)} results for {len(jobs)} texts")
            else:
                results = [scorer.score(job.text, job.context) for job in jobs]
        # A scorer may fail in any way; the failure is data for each comment of the batch.
        except Exception as error:
            logger.exception("scorer %s failed", name)
            for job in jobs:
                job.futures[name].set_exception(error)
            return
        for job, scores in zip(jobs, results, strict=True):
            job.futures[name].set_result(list(scores))
