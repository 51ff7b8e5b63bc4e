"""The way a new comment comes in: gather the facts, run the moderation pipeline, then store the
comment with the status it decided, its reasons and its machine flags, or refuse it. Also the
site's moderation settings (load, cache compiled, update) and the pre-post check (the nudge)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select
from sqlalchemy.orm import Session

from commentdesk import events
from commentdesk.accounts.models import Account, Role
from commentdesk.comments import render
from commentdesk.comments import service as comments
from commentdesk.comments.models import Comment, CommentStatus
from commentdesk.db.memo import memo
from commentdesk.errors import (
    CommentdeskError,
    Conflict,
    InvalidInput,
    PermissionDenied,
    RateLimited,
    StoryClosed,
)
from commentdesk.moderation import pipeline
from commentdesk.moderation.models import Flag, FlagSource, FlagStatus, SiteSettings
from commentdesk.moderation.policy import Decision
from commentdesk.moderation.rules import AWAITING_SCORES, CompiledLists, Draft, Reason, Verdict
from commentdesk.moderation.settings import ModerationSettings
from commentdesk.moderation.throttle import throttle
from commentdesk.scoring.models import RevisionScore
from commentdesk.scoring.protocol import Score
from commentdesk.scoring.runner import Outcome
from commentdesk.sites.models import Site
from commentdesk.stories.models import Story

logger = logging.getLogger(__name__)

STATUS_OF = {
    Verdict.APPROVE: CommentStatus.APPROVED,
    Verdict.HOLD: CommentStatus.PENDING,
    Verdict.WITHHOLD: CommentStatus.WITHHELD,
    Verdict.REJECT: CommentStatus.REJECTED,
}
REFUSAL_ERRORS: dict[str, type[CommentdeskError]] = {
    "too_long": InvalidInput,
    "story_closed": StoryClosed,
    "account_banned": PermissionDenied,
    "account_suspended": PermissionDenied,
    "rate_limited": RateLimited,
    "repeat_post": Conflict,
}
# Reasons that leave a machine flag on the comment for moderators to filter and count. An open
# `awaiting_scores` flag also marks the comment for scoring after the write (rescoring.py).
FLAGGED = frozenset({"banned_word", "suspect_word", "link", AWAITING_SCORES})
# The author's public comments on a site, counted up to the new-commenter threshold.
_APPROVED_COUNT = select(func.count()).select_from(
    select(Comment.id)
    .where(
        Comment.author_id == bindparam("author_id"),
        Comment.site_id == bindparam("site_id"),
        Comment.status == CommentStatus.APPROVED,
    )
    .limit(bindparam("limit"))
    .subquery()
)
# Plain INSERTs (an executemany each): the rows are never read back in the unit of work, and the
# ORM's bulk path costs more than the database does.
_INSERT_FLAGS = insert(cast(Table, Flag.__table__))
_INSERT_SCORES = insert(cast(Table, RevisionScore.__table__))
# A new comment is compared with at most this many of the author's recent ones.
REPEAT_CANDIDATES = 20


def post_comment(
    session: Session,
    *,
    story: Story,
    body: str,
    parent_id: int | None,
    author: Account,
    now: datetime,
    scoring: Outcome | None = None,
) -> Comment:
    """Screen and store a new comment or reply; refusals raise with the reason as the message."""
    html = render.render(body)
    decision = screen(
        session,
        story=story,
        body=body,
        html=html,
        author=author,
        now=now,
        scoring=scoring,
        parent_id=parent_id,
    )
    if decision.verdict == Verdict.REFUSE:
        raise refusal(decision)
    status = STATUS_OF[decision.verdict]
    message = decision.author_message
    if message is None and status == CommentStatus.PENDING:
        message = "Awaiting review by the editors."
    if message is None:
        # Published with a flag: the author still learns which clause it may break.
        flags = [reason for reason in decision.reasons if reason.detail.get("threshold") == "flag"]
        message = flags[0].author_message if flags else None
    comment, revision_id = comments.create_comment(
        session,
        story=story,
        body=body,
        html=html,
        parent_id=parent_id,
        author=author,
        status_to=status,
        message=message,
        reasons=[reason_record(reason) for reason in decision.reasons] or None,
        now=now,
    )
    add_machine_flags(session, comment=comment, reasons=decision.reasons, now=now)
    if scoring is not None:
        store_scores(
            session, comment=comment, revision_id=revision_id, scores=scoring.scores, now=now
        )
        if scoring.late:
            events.record(
                session, events.CommentAwaitsScores(site_id=comment.site_id, comment_id=comment.id)
            )
    return comment


def edit_comment(
    session: Session,
    *,
    comment: Comment,
    body: str,
    editor: Account,
    now: datetime,
    is_scored: bool,
) -> Comment:
    """An author's edit (comments.edit_comment); with scorers, the new text is scored after
    the write, and its scores may take the comment back as they would a new one."""
    before = comment.body
    comments.edit_comment(session, comment=comment, body=body, editor=editor, now=now)
    if is_scored and comment.body != before:
        awaiting = Reason(AWAITING_SCORES, "scores", "Scoring the edited text after the write.")
        add_machine_flags(session, comment=comment, reasons=[awaiting], now=now)
        events.record(
            session, events.CommentAwaitsScores(site_id=comment.site_id, comment_id=comment.id)
        )
    return comment


def add_machine_flags(
    session: Session, *, comment: Comment, reasons: Sequence[Reason], now: datetime
) -> None:
    """Leave a system flag on `comment` for each reason moderators filter and count by."""
    flags = [
        {
            "comment_id": comment.id,
            "account_id": None,
            "source": FlagSource.SYSTEM,
            "reason": reason.code,
            "note": reason.message[:500],
            "status": FlagStatus.OPEN,
            "created_at": now,
            "revision_id": None,
            "resolved_at": None,
        }
        for reason in reasons
        # A score past its `flag` threshold publishes the comment with a flag (a plugin's too).
        if reason.code in FLAGGED or reason.detail.get("threshold") == "flag"
    ]
    if flags:
        session.execute(_INSERT_FLAGS, flags)


def store_scores(
    session: Session,
    *,
    comment: Comment,
    revision_id: int,
    scores: Sequence[Score],
    now: datetime,
) -> None:
    """Keep what the scorers said of one revision of `comment`."""
    if not scores:
        return
    session.execute(
        _INSERT_SCORES,
        [
            {
                "revision_id": revision_id,
                "comment_id": comment.id,
                "site_id": comment.site_id,
                "name": score.name,
                "value": score.value,
                "explanation": score.explanation[:300],
                "created_at": now,
            }
            for score in scores
        ],
    )


def check_comment(
    session: Session,
    *,
    story: Story,
    body: str,
    author: Account,
    now: datetime,
    scoring: Outcome | None = None,
    parent_id: int | None = None,
) -> Decision:
    """What the pipeline would decide for this draft, without storing anything (the nudge).
    Scorers that ran late say nothing here: the nudge is about the policy, not about how busy
    the models are, and the posted comment is scored in full either way."""
    return screen(
        session,
        story=story,
        body=body,
        html=render.render(body),
        author=author,
        now=now,
        consume=False,
        scoring=replace(scoring, late=()) if scoring is not None else None,
        parent_id=parent_id,
    )


def screen(
    session: Session,
    *,
    story: Story,
    body: str,
    html: str,
    author: Account,
    now: datetime,
    consume: bool = True,
    scoring: Outcome | None = None,
    parent_id: int | None = None,
) -> Decision:
    """Gather the facts and run the pipeline. `consume=False` (the pre-post check) leaves the
    author's rate-limit window as it was."""
    settings, lists = moderation_settings(session, site=story.site)
    limiter = throttle(session)
    is_over_rate_limit = limiter is not None and not limiter.allows(
        action="post",
        site_id=story.site_id,
        account_id=author.id,
        count=settings.rate_limit_count,
        window_seconds=settings.rate_limit_window_seconds,
        consume=consume,
    )
    approved = 0
    if settings.new_commenter_threshold:
        approved = (
            session.scalar(
                _APPROVED_COUNT,
                {
                    "author_id": author.id,
                    "site_id": story.site_id,
                    "limit": settings.new_commenter_threshold,
                },
            )
            or 0
        )
    recent: list[tuple[str, datetime]] = []
    if settings.repeat_window_seconds:
        rows = session.execute(
            select(Comment.body, Comment.created_at)
            .where(
                Comment.author_id == author.id,
                Comment.site_id == story.site_id,
                Comment.created_at > now - timedelta(seconds=settings.repeat_window_seconds),
            )
            .order_by(Comment.created_at.desc())
            .limit(REPEAT_CANDIDATES)
        )
        recent = [(row.body, row.created_at) for row in rows]
    draft = Draft(
        body=body,
        html=html,
        story_is_closed=story.is_closed,
        story_is_premoderated=story.requires_premoderation,
        author_role=author.role,
        author_status=author.status,
        author_suspended_until=author.suspended_until,
        author_is_premoderated=author.is_premoderated,
        author_approved_count=approved,
        is_over_rate_limit=is_over_rate_limit,
        recent_posts=tuple(recent),
        settings=settings,
        now=now,
    )
    if scoring is not None:
        draft = replace(draft, scoring=scoring)
    return pipeline.run(draft, lists)


def refusal(decision: Decision) -> CommentdeskError:
    reason = decision.deciding
    assert reason is not None  # a refusal always names its reason
    error = REFUSAL_ERRORS.get(reason.code, InvalidInput)
    return error(reason.author_message or reason.message, details=reason_record(reason))


def reason_record(reason: Reason) -> dict[str, Any]:
    """A reason as stored and as moderators see it over the API."""
    record = asdict(reason)
    record["detail"] = dict(reason.detail)
    return record


def moderation_settings(
    session: Session, *, site: Site
) -> tuple[ModerationSettings, CompiledLists]:
    """The site's settings and compiled word lists, cached per (site, settings version)."""
    cache = memo(session, "moderation")
    key = (site.id, site.settings_version)
    cached: tuple[ModerationSettings, CompiledLists] | None = cache.get(key) if cache else None
    if cached is None:
        row = session.get(SiteSettings, site.id)
        settings = ModerationSettings.model_validate(row.moderation if row else {})
        cached = (settings, CompiledLists.of(settings))
        if cache:
            cache.put(key, cached)
    return cached


def update_settings(
    session: Session, *, site: Site, settings: ModerationSettings, actor: Account
) -> ModerationSettings:
    """Replace a site's moderation settings (admins only)."""
    if actor.role != Role.ADMIN:
        raise PermissionDenied("Only admins can change a site's moderation settings.")
    row = session.get(SiteSettings, site.id)
    if row is None:
        row = SiteSettings(site_id=site.id)
        session.add(row)
    row.moderation = settings.model_dump(mode="json")
    site.settings_version += 1
    session.flush()
    return settings
