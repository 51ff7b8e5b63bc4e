"""How often a site's moderators overturn the assistant, week by week: comments it held that a
moderator approved, and comments it let through that a moderator later rejected or removed.
Reads the audit log and the stored scores; writes nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from commentdesk.comments.models import Comment, CommentStatus
from commentdesk.moderation.models import ModerationAction
from commentdesk.scoring.models import RevisionScore

WEEKS = 12
DECISIONS = ("approve", "reject", "undo")
# Scores-phase reasons that are not the assistant judging the text.
NOT_A_JUDGEMENT = frozenset({"scorer_failed", "awaiting_scores"})


@dataclass(frozen=True)
class WeekOfOverturns:
    """One week (Monday to Sunday, UTC) of comments posted, as the assistant judged them."""

    starts_on: date
    held: int  # the assistant held or rejected it
    held_approved: int  # ... and a moderator approved it
    passed: int  # scored, and published at posting
    passed_removed: int  # ... and a moderator rejected or removed it

    @property
    def overturned(self) -> int:
        return self.held_approved + self.passed_removed

    @property
    def judged(self) -> int:
        return self.held + self.passed


def assistant_held(to_status: str, reasons: list[Mapping[str, Any]] | None) -> bool:
    """Whether the assistant's own verdict held or rejected a comment at posting: it was not
    published, and a score threshold (not a flag) or the site's head gave a reason."""
    if to_status == CommentStatus.APPROVED:
        return False
    return any(
        reason.get("phase") == "scores"
        and reason.get("code") not in NOT_A_JUDGEMENT
        and (reason.get("detail") or {}).get("threshold") != "flag"
        for reason in reasons or ()
    )


def weekly_overturns(
    session: Session, *, site_id: int, now: datetime, weeks: int = WEEKS
) -> list[WeekOfOverturns]:
    """The last `weeks` weeks, oldest first, counted by the week each comment was posted; a
    comment's decision is its moderators' last (an undone decision counts as none)."""
    this_monday = now.date() - timedelta(days=now.weekday())
    first_monday = this_monday - timedelta(weeks=weeks - 1)
    since = datetime.combine(first_monday, time.min, tzinfo=now.tzinfo)
    posted = session.execute(
        select(
            ModerationAction.comment_id,
            ModerationAction.to_status,
            ModerationAction.reasons,
            ModerationAction.created_at,
        )
        .join(Comment, Comment.id == ModerationAction.comment_id)
        .where(
            Comment.site_id == site_id,
            # A comment scored after the write gets the assistant's verdict on a `scored` row.
            ModerationAction.action.in_(("posted", "scored")),
            ModerationAction.created_at >= since,
        )
        .order_by(ModerationAction.id)
    ).all()
    scored = set(
        session.scalars(
            select(RevisionScore.comment_id)
            .where(RevisionScore.site_id == site_id, RevisionScore.created_at >= since)
            .distinct()
        )
    )
    decisions = session.execute(
        select(ModerationAction.comment_id, ModerationAction.action)
        .join(Comment, Comment.id == ModerationAction.comment_id)
        .where(
            Comment.site_id == site_id,
            ModerationAction.actor_id.is_not(None),
            ModerationAction.action.in_(DECISIONS),
            ModerationAction.created_at >= since,
        )
        .order_by(ModerationAction.created_at, ModerationAction.id)
    )
    final = dict(decisions.all())
    tallies = [[0, 0, 0, 0] for _ in range(weeks)]
    # Per comment: the assistant's last verdict, in the week the comment was posted.
    verdicts: dict[int, tuple[str, Any, datetime]] = {}
    for comment_id, to_status, reasons, created_at in posted:
        first = verdicts.get(comment_id)
        verdicts[comment_id] = (to_status, reasons, first[2] if first else created_at)
    for comment_id, (to_status, reasons, created_at) in verdicts.items():
        week = (created_at.date() - first_monday).days // 7
        if not 0 <= week < weeks:
            continue
        decision = final.get(comment_id)
        if assistant_held(to_status, reasons):
            tallies[week][0] += 1
            tallies[week][1] += decision == "approve"
        elif to_status == CommentStatus.APPROVED and comment_id in scored:
            tallies[week][2] += 1
            tallies[week][3] += decision == "reject"
    return [
        WeekOfOverturns(first_monday + timedelta(weeks=index), *tally)
        for index, tally in enumerate(tallies)
    ]
