"""Scoring after the write. A comment stored before every scorer had answered (a scorer ran
late, or the scoring budget is zero) carries an open `awaiting_scores` flag. The Rescorer scores
such comments in batches, off the request path, keeps their scores, closes the flag and applies
the site's thresholds: a withheld comment is published, held or rejected; a published one is
taken back only if its scores say so; one a person has acted on since keeps its status. At
startup it picks up the flags a stopped process left open. Knows nothing of HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from commentdesk import events
from commentdesk.comments import status
from commentdesk.comments.models import Comment, CommentStatus, Revision
from commentdesk.db.writer import WriteQueue
from commentdesk.moderation import intake, rules
from commentdesk.moderation.context import scoring_context
from commentdesk.moderation.models import Flag, FlagSource, FlagStatus, ModerationAction
from commentdesk.moderation.rules import AWAITING_SCORES, Verdict
from commentdesk.scoring.models import RevisionScore
from commentdesk.scoring.protocol import Score, ScoringContext
from commentdesk.scoring.runner import Outcome, Runner
from commentdesk.stories.models import Story

logger = logging.getLogger(__name__)
Result = TypeVar("Result")

# How long the background scorer waits for a batch: generous, since nobody is waiting on it;
# a scorer that takes longer is recorded as failed and the comment goes to a person.
BUDGET_SECONDS = 30.0
# Open flags picked up at startup, oldest first; more wait for the next start.
RECOVER_LIMIT = 5000


@dataclass(frozen=True)
class Job:
    """One comment to score: the revision its text comes from, and what the scorers see."""

    comment_id: int
    revision_id: int
    text: str
    context: ScoringContext
    # The scorers that had not answered when the comment was stored (None: all of them).
    late: tuple[str, ...] | None


def _open_flags(comment_id: int | None = None) -> Select[Flag]:
    query = select(Flag).where(
        Flag.status == FlagStatus.OPEN,
        Flag.source == FlagSource.SYSTEM,
        Flag.reason == AWAITING_SCORES,
    )
    return query if comment_id is None else query.where(Flag.comment_id == comment_id)


def list_awaiting(session: Session, *, limit: int = RECOVER_LIMIT) -> list[int]:
    """Comments still waiting for their scores, oldest first."""
    rows = session.scalars(
        _open_flags().with_only_columns(Flag.comment_id).order_by(Flag.id).limit(limit)
    )
    return list(dict.fromkeys(rows))


def gather(session: Session, *, comment_ids: Sequence[int]) -> list[Job]:
    """What to score for each comment that still exists: its latest text, in context."""
    jobs = []
    for comment_id in comment_ids:
        comment = session.get(Comment, comment_id)
        if comment is None or comment.status == CommentStatus.DELETED:
            continue
        revision_id = session.scalar(
            select(func.max(Revision.id)).where(Revision.comment_id == comment_id)
        )
        story = session.get(Story, comment.story_id)
        if revision_id is None or story is None:
            continue
        context = scoring_context(session, story=story, parent_id=comment.parent_id)
        first = session.scalar(
            select(func.min(Revision.id)).where(Revision.comment_id == comment_id)
        )
        # An edited text has no scores yet: every scorer reads it.
        late = _late(session, comment) if revision_id == first else None
        jobs.append(Job(comment_id, revision_id, comment.body, context, late))
    return jobs


def _late(session: Session, comment: Comment) -> tuple[str, ...] | None:
    """The scorers named late on the comment's posting audit row."""
    posted = session.scalar(
        select(ModerationAction.reasons)
        .where(ModerationAction.comment_id == comment.id, ModerationAction.action == "posted")
        .limit(1)
    )
    for reason in posted or ():
        if reason.get("code") == AWAITING_SCORES:
            return tuple(reason.get("detail", {}).get("late", ())) or None
    return None


def settle(session: Session, *, job: Job, outcome: Outcome, now: datetime) -> str | None:
    """Keep `outcome` for the job's revision and apply the site's thresholds; returns the
    comment's new status when it changed. Does nothing when the flag is already closed
    (another process settled it first)."""
    flags = session.scalars(_open_flags(job.comment_id).with_for_update()).all()
    comment = session.get(Comment, job.comment_id)
    if not flags or comment is None:
        return None
    for flag in flags:
        flag.status = FlagStatus.DISMISSED
        flag.resolved_at = now
    # The scores the answering scorers gave at posting, with the late ones' now.
    earlier = session.execute(
        select(RevisionScore.name, RevisionScore.value, RevisionScore.explanation)
        .where(RevisionScore.revision_id == job.revision_id)
        .order_by(RevisionScore.id)
    ).all()
    intake.store_scores(
        session, comment=comment, revision_id=job.revision_id, scores=outcome.scores, now=now
    )
    scores = tuple(Score(*row) for row in earlier) + outcome.scores
    story = session.get(Story, comment.story_id)
    assert story is not None
    settings, _ = intake.moderation_settings(session, site=story.site)
    # Whoever did not answer now, with all the time it needed, has failed: a person decides.
    final = Outcome(scores, failed=outcome.failed + outcome.late)
    result = rules.score_verdict(final, settings)
    verdict = result.verdict or Verdict.APPROVE
    intake.add_machine_flags(session, comment=comment, reasons=result.reasons, now=now)
    target = _target(session, comment, verdict)
    if target is None:
        # The status stands, but a published comment's order under the "best" sort and its
        # scores on the desk have changed.
        events.record(
            session,
            events.CommentWasChanged(
                site_id=comment.site_id, story_id=comment.story_id, comment_id=comment.id
            ),
        )
        return None
    reasons = [intake.reason_record(reason) for reason in result.reasons]
    deciding = result.reasons[0] if verdict != Verdict.APPROVE and result.reasons else None
    status.transition(
        session,
        comment,
        to_status=target,
        actor=None,
        action="scored",
        now=now,
        reason_code=deciding.code if deciding else None,
        message=deciding.author_message if deciding else None,
        reasons=reasons or None,
    )
    return target


def _target(session: Session, comment: Comment, verdict: Verdict) -> CommentStatus | None:
    """The status the scores call for, if the comment may still move: nobody (author or
    moderator) has acted on it since it was posted."""
    actions = session.scalar(select(func.count()).where(ModerationAction.comment_id == comment.id))
    # Staff comments publish whatever their scores, after the write as before it.
    if actions != 1 or comment.author.role in rules.TRUSTED_ROLES:
        return None
    wanted = intake.STATUS_OF[verdict]
    if comment.status == CommentStatus.WITHHELD and wanted != CommentStatus.WITHHELD:
        return wanted
    if comment.status == CommentStatus.APPROVED and wanted != CommentStatus.APPROVED:
        return wanted
    return None


class Rescorer:
    """The background scorer of one app: a task on the app's event loop, fed by the
    `CommentAwaitsScores` events of its own posts and, at startup, by the open flags."""

    def __init__(
        self,
        *,
        runner: Runner,
        sessions: Callable[[], Session],
        writes: Callable[[], WriteQueue],
        batch: int = 32,
        budget_seconds: float = BUDGET_SECONDS,
    ) -> None:
        self.runner = runner
        self.sessions = sessions
        self.writes = writes
        self.batch = batch
        self.budget_seconds = budget_seconds
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[int] | None = None
        self._task: asyncio.Task[None] | None = None
        self._ready: asyncio.Event | None = None

    def start(self) -> None:
        """Start on the running event loop (the app's lifespan): first every comment the
        database says is waiting, then each one this process posts."""
        if not self.runner:
            return
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        self._ready = asyncio.Event()
        self._task = self._loop.create_task(self._run(), name="commentdesk-rescoring")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def on_event(self, event: events.Event) -> None:
        """Dispatcher listener (called on a writer thread, after commit)."""
        if isinstance(event, events.CommentAwaitsScores) and self._loop and self._queue:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, event.comment_id)

    async def drain(self) -> None:
        """Wait until the comments waiting at start and every one queued since are settled."""
        if self._ready is not None and self._queue is not None:
            await self._ready.wait()
            await self._queue.join()

    async def run_once(self) -> int:
        """Settle every comment the database says is waiting now, a batch at a time; returns
        how many there were (`commentdesk rescore`, and the start of the background task)."""
        waiting = await run_in_threadpool(self._read, list_awaiting)
        for start in range(0, len(waiting), self.batch):
            await self._handle(waiting[start : start + self.batch])
        return len(waiting)

    async def _run(self) -> None:
        assert self._queue is not None and self._ready is not None
        try:
            await self.run_once()
        # A database that is not there yet must not stop the worker; the flags stay open.
        except Exception:
            logger.exception("background scoring could not pick up waiting comments")
        self._ready.set()
        while True:
            chosen = [await self._queue.get()]
            while len(chosen) < self.batch and not self._queue.empty():
                chosen.append(self._queue.get_nowait())
            try:
                await self._handle(list(dict.fromkeys(chosen)))
            # One bad batch must not stop the worker; its flags stay open for the next start.
            except Exception:
                logger.exception("background scoring of %d comments failed", len(chosen))
            finally:
                for _ in chosen:
                    self._queue.task_done()

    async def _handle(self, comment_ids: list[int]) -> None:
        jobs = await run_in_threadpool(
            self._read, lambda session: gather(session, comment_ids=comment_ids)
        )
        if not jobs:
            return
        outcomes = await run_in_threadpool(self._score, jobs)
        now = datetime.now(UTC)

        def work(session: Session) -> None:
            for job, outcome in zip(jobs, outcomes, strict=True):
                settle(session, job=job, outcome=outcome, now=now)

        await self.writes().run(work)

    def _score(self, jobs: list[Job]) -> list[Outcome]:
        """Each job scored by the scorers that were late for it (jobs grouped by those)."""
        outcomes: dict[int, Outcome] = {}
        groups: dict[tuple[str, ...] | None, list[int]] = {}
        for index, job in enumerate(jobs):
            groups.setdefault(job.late, []).append(index)
        for late, indexes in groups.items():
            scored = self.runner.score_many(
                [jobs[index].text for index in indexes],
                [jobs[index].context for index in indexes],
                budget_seconds=self.budget_seconds,
                only=late,
            )
            outcomes.update(zip(indexes, scored, strict=True))
        return [outcomes[index] for index in range(len(jobs))]

    def _read(self, work: Callable[[Session], Result]) -> Result:
        with self.sessions() as session:
            return work(session)
