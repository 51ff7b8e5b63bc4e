"""Reader reports ("Report as abusive"), weighed by each reporter's track record: when the
weights of a comment's open reports reach the site's threshold, the comment is withheld until a
moderator decides. A decision upholds or dismisses the reports, which is the track record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commentdesk import events
from commentdesk.accounts.models import Account
from commentdesk.comments import status
from commentdesk.comments.models import Comment, CommentStatus
from commentdesk.db.rows import add_if_new
from commentdesk.errors import Conflict, InvalidInput, PermissionDenied, RateLimited
from commentdesk.moderation import intake, policy
from commentdesk.moderation.models import Flag, FlagSource, FlagStatus
from commentdesk.moderation.schemas import ReportDraft, ReportView
from commentdesk.moderation.throttle import throttle
from commentdesk.sites.models import Site

WITHHELD_MESSAGE = "Hidden while the editors review reports about it."


def report_comment(
    session: Session, *, comment: Comment, reporter: Account, draft: ReportDraft, now: datetime
) -> ReportView:
    """Record a reader's report, one per reader per comment (Conflict on a second), weighed by
    the reporter's record; withhold the comment when its reports weigh enough."""
    if comment.author_id == reporter.id:
        raise PermissionDenied("You cannot report your own comment.")
    if comment.status != CommentStatus.APPROVED:
        raise InvalidInput("Only published comments can be reported.")
    site = session.get_one(Site, comment.site_id)
    settings, _ = intake.moderation_settings(session, site=site)
    limiter = throttle(session)
    if limiter is not None and not limiter.allows(
        action="report",
        site_id=site.id,
        account_id=reporter.id,
        count=settings.report_rate_limit_count,
        window_seconds=settings.report_rate_limit_window_seconds,
        consume=True,
    ):
        raise RateLimited("You have sent many reports recently; please wait before the next.")
    flag = Flag(
        comment_id=comment.id,
        account_id=reporter.id,
        source=FlagSource.READER,
        reason=draft.reason,
        note=draft.note or None,
        status=FlagStatus.OPEN,
        weight=reporter_weight(session, reporter_id=reporter.id),
        created_at=now,
    )
    if not add_if_new(session, flag):
        raise Conflict("You have already reported this comment.")
    score = report_score(session, comment_id=comment.id)
    if score >= settings.report_withhold_threshold:
        status.transition(
            session,
            comment,
            to_status=CommentStatus.WITHHELD,
            actor=None,
            action="withheld_by_reports",
            now=now,
            message=WITHHELD_MESSAGE,
            reasons=[
                {
                    "code": "reports",
                    "phase": "reports",
                    "message": f"Reports weigh {score:.2f}, the threshold is "
                    f"{settings.report_withhold_threshold:.2f}.",
                    "author_message": WITHHELD_MESSAGE,
                    "detail": {
                        "score": round(score, 3),
                        "threshold": settings.report_withhold_threshold,
                    },
                }
            ],
        )
    events.record(
        session,
        events.CommentWasReported(
            site_id=comment.site_id,
            story_id=comment.story_id,
            comment_id=comment.id,
            flag_id=flag.id,
        ),
    )
    return ReportView(
        id=flag.id,
        comment_id=comment.id,
        reason=flag.reason,
        note=flag.note,
        created_at=flag.created_at,
    )


def reporter_weight(session: Session, *, reporter_id: int) -> float:
    """policy.reporter_weight from the reporter's decided reports."""
    rows = session.execute(
        select(Flag.status, func.count())
        .where(Flag.account_id == reporter_id, Flag.status != FlagStatus.OPEN)
        .group_by(Flag.status)
    )
    decided = {row[0]: int(row[1]) for row in rows}
    return policy.reporter_weight(
        upheld=decided.get(FlagStatus.UPHELD, 0), dismissed=decided.get(FlagStatus.DISMISSED, 0)
    )


def report_score(session: Session, *, comment_id: int) -> float:
    """The summed weight of a comment's open reader reports."""
    return float(
        session.scalar(
            select(func.coalesce(func.sum(Flag.weight), 0.0)).where(
                Flag.comment_id == comment_id,
                Flag.source == FlagSource.READER,
                Flag.status == FlagStatus.OPEN,
            )
        )
        or 0.0
    )
