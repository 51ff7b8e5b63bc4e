"""One scorer's worker thread: it loads the scorer's model once, off the caller's thread, then
takes whatever comments have queued up (up to `max_batch`) and scores them in one call, handing
each comment's scores (or the scorer's failure) to its future. The runner keeps one per scorer
in the server's process, and a scoring process (`process.py`) one per scorer in the child."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Sequence
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
    future: Future[list[Score]]


def scorer_name(scorer: Scorer) -> str:
    return str(getattr(scorer, "name", type(scorer).__name__))


class ScorerWorker:
    """One scorer's thread: takes queued jobs in batches and scores them."""

    def __init__(self, scorer: Scorer, max_batch: int) -> None:
        self.scorer = scorer
        self.name = scorer_name(scorer)
        self.max_batch = max_batch
        self.jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self.loaded = threading.Event()
        # Held while one caller queues several comments, so they reach the model together.
        self._queueing = threading.Lock()
        self.thread = threading.Thread(target=self._run, name=f"scorer-{self.name}", daemon=True)
        self.thread.start()

    def submit(self, text: str, context: ScoringContext) -> Future[list[Score]]:
        future: Future[list[Score]] = Future()
        self.jobs.put(_Job(text, context, future))
        return future

    def submit_many(
        self, texts: Sequence[str], contexts: Sequence[ScoringContext]
    ) -> list[Future[list[Score]]]:
        with self._queueing:
            return [
                self.submit(text, context) for text, context in zip(texts, contexts, strict=True)
            ]

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
        if not isinstance(self.scorer, Loadable):
            return
        try:
            self.scorer.load()
            # One comment scored at start: a model's first run costs several times a usual
            # one, and would otherwise make the first reader's comment late.
            self.scorer.score(WARM_UP_TEXT, WARM_UP_CONTEXT)
        # A plugin's model may fail to load in any way; its scoring then fails per comment.
        except Exception:
            logger.exception("scorer %s could not load", self.name)

    def _score(self, batch: list[_Job]) -> None:
        try:
            if isinstance(self.scorer, BatchScorer):
                results = self.scorer.score_batch(
                    [job.text for job in batch], [job.context for job in batch]
                )
                if len(results) != len(batch):
                    raise ValueError(f"{len(results)} results for {len(batch)} texts")
            else:
                results = [self.scorer.score(job.text, job.context) for job in batch]
        # A scorer may fail in any way; the failure is data for each comment of the batch.
        except Exception as error:
            logger.exception("scorer %s failed", self.name)
            for job in batch:
                job.future.set_exception(error)
            return
        for job, scores in zip(batch, results, strict=True):
            job.future.set_result(list(scores))
