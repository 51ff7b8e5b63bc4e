"""Accounts as moderators handle them: ban, suspend, reinstate, pre-moderate, warn, note; each
action audited; an account's record; and the audit log of comment decisions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commentdesk.accounts import service as accounts
from commentdesk.accounts.models import Account, AccountStatus, Role
from commentdesk.comments.models import Comment
from commentdesk.comments.thread import comment_view
from commentdesk.errors import InvalidInput, NotFound, PermissionDenied
from commentdesk.moderation import policy
from commentdesk.moderation.models import (
    AccountAction,
    AccountActionKind,
    Flag,
    FlagStatus,
    ModerationAction,
)
from commentdesk.moderation.schemas import (
    AccountActionDraft,
    AccountActionView,
    AccountRecord,
    AuditEntry,
    AuditPage,
    ReportRecord,
    SiteAssignment,
)
from commentdesk.moderation.service import require_moderator
from commentdesk.sites import service as sites

Kind = AccountActionKind
# Actions that change what an account may do everywhere need a moderator of every site.
GLOBAL_ACTIONS = frozenset(
    {Kind.BAN, Kind.SUSPEND, Kind.REINSTATE, Kind.PREMODERATE, Kind.UNPREMODERATE}
)


def get_account(session: Session, *, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound("No such account.", details={"account_id": account_id})
    return account


def act_on_account(
    session: Session,
    *,
    subject: Account,
    actor: Account,
    draft: AccountActionDraft,
    now: datetime,
) -> AccountActionView:
    """Apply and audit a moderator's action on an account."""
    require_moderator(actor)
    if draft.action in GLOBAL_ACTIONS and actor.role != Role.ADMIN and actor.moderated_site_ids:
        raise PermissionDenied("Only moderators of every site can change an account's standing.")
    if subject.is_moderator and actor.role != Role.ADMIN:
        raise PermissionDenied("Only admins can act on moderators and admins.")
    if subject.id == actor.id:
        raise PermissionDenied("You cannot act on your own account.")
    until = draft.until
    if draft.action == Kind.SUSPEND:
        if until is None or until <= now:
            raise InvalidInput("A suspension needs an `until` in the future.")
        subject.suspended_until = until
    elif until is not None:
        raise InvalidInput("Only a suspension takes `until`.")
    if draft.action == Kind.BAN:
        subject.status = AccountStatus.BANNED
    elif draft.action == Kind.REINSTATE:
        subject.status, subject.suspended_until = AccountStatus.ACTIVE, None
    elif draft.action in (Kind.PREMODERATE, Kind.UNPREMODERATE):
        subject.is_premoderated = draft.action == Kind.PREMODERATE
    record = AccountAction(
        account_id=subject.id,
        actor_id=actor.id,
        action=draft.action,
        reason=draft.reason,
        until=until,
        created_at=now,
    )
    session.add(record)
    session.flush()
    return _action_view(record)


def assign_sites(
    session: Session,
    *,
    subject: Account,
    actor: Account,
    assignment: SiteAssignment,
    now: datetime,
) -> SiteAssignment:
    """Limit a moderator to some sites, or free them for all (admins only); audited as a note."""
    if actor.role != Role.ADMIN:
        raise PermissionDenied("Only admins assign moderators to sites.")
    for site_id in assignment.site_ids:
        sites.get_site(session, site_id=site_id)
    accounts.assign_sites(session, account=subject, site_ids=assignment.site_ids)
    listed = ", ".join(str(site_id) for site_id in sorted(set(assignment.site_ids))) or "all"
    session.add(
        AccountAction(
            account_id=subject.id,
            actor_id=actor.id,
            action=Kind.NOTE,
            reason=f"Assigned to sites: {listed}.",
            created_at=now,
        )
    )
    session.flush()
    return SiteAssignment(site_ids=sorted(subject.moderated_site_ids))


def account_record(session: Session, *, subject: Account, viewer: Account) -> AccountRecord:
    """What moderators need to judge an account: its standing, comments, reports, actions."""
    require_moderator(viewer)
    mine = Comment.author_id == subject.id
    if viewer.role != Role.ADMIN and viewer.moderated_site_ids:
        mine = mine & Comment.site_id.in_(viewer.moderated_site_ids)
    by_status = {
        row[0]: int(row[1])
        for row in session.execute(
            select(Comment.status, func.count()).where(mine).group_by(Comment.status)
        )
    }
    reports = {
        row[0]: int(row[1])
        for row in session.execute(
            select(Flag.status, func.count())
            .where(Flag.account_id == subject.id)
            .group_by(Flag.status)
        )
    }
    upheld, dismissed = reports.get(FlagStatus.UPHELD, 0), reports.get(FlagStatus.DISMISSED, 0)
    actions = session.scalars(
        select(AccountAction)
        .where(AccountAction.account_id == subject.id)
        .order_by(AccountAction.id.desc())
        .limit(50)
    )
    recent = session.scalars(select(Comment).where(mine).order_by(Comment.id.desc()).limit(20))
    return AccountRecord(
        id=subject.id,
        name=subject.display_name,
        email=subject.email,
        role=subject.role,
        status=subject.status,
        suspended_until=subject.suspended_until,
        is_premoderated=subject.is_premoderated,
        created_at=subject.created_at,
        comments_by_status=by_status,
        reports=ReportRecord(
            upheld=upheld,
            dismissed=dismissed,
            open=reports.get(FlagStatus.OPEN, 0),
            weight=policy.reporter_weight(upheld=upheld, dismissed=dismissed),
        ),
        actions=[_action_view(action) for action in actions],
        recent_comments=[comment_view(comment, with_reason=True) for comment in recent],
    )


def audit_log(
    session: Session,
    *,
    viewer: Account,
    site_id: int | None,
    actor_id: int | None,
    action: str | None,
    before: int | None,
    limit: int,
) -> AuditPage:
    """Comment status changes, newest first, filtered; moderators see their sites only."""
    require_moderator(viewer, site_id=site_id)
    query = select(ModerationAction, Comment.site_id).join(
        Comment, Comment.id == ModerationAction.comment_id
    )
    if site_id is not None:
        query = query.where(Comment.site_id == site_id)
    elif viewer.role != Role.ADMIN and viewer.moderated_site_ids:
        query = query.where(Comment.site_id.in_(viewer.moderated_site_ids))
    if actor_id is not None:
        query = query.where(ModerationAction.actor_id == actor_id)
    if action is not None:
        query = query.where(ModerationAction.action == action)
    if before is not None:
        query = query.where(ModerationAction.id < before)
    rows = session.execute(query.order_by(ModerationAction.id.desc()).limit(limit + 1)).all()
    entries = [AuditEntry.of(row[0], site_id=row[1]) for row in rows[:limit]]
    return AuditPage(
        entries=entries, next_before=entries[-1].id if len(rows) > limit and entries else None
    )


def _action_view(action: AccountAction) -> AccountActionView:
    return AccountActionView(
        id=action.id,
        action=action.action,
        actor_id=action.actor_id,
        reason=action.reason,
        until=action.until,
        created_at=action.created_at,
    )
