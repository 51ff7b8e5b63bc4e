"""The editors' first tools: the pending and reported queues, and approve/reject decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy.orm import Session

from commentdesk.comments import service as comments
from commentdesk.comments.schemas import CommentView
from commentdesk.comments.thread import comment_view
from commentdesk.moderation import campaigns, intake, items, queues, site_profile, standing
from commentdesk.moderation import service as moderation
from commentdesk.moderation.queues import QueueName, QueueOrder
from commentdesk.moderation.schemas import (
    AccountActionDraft,
    AccountActionView,
    AccountRecord,
    AuditPage,
    BulkDecisionDraft,
    BulkResult,
    CampaignPage,
    CommentRecord,
    DecisionDraft,
    QueueCounts,
    QueuePage,
    SiteAssignment,
    StoryThread,
)
from commentdesk.moderation.settings import ModerationSettings
from commentdesk.sites import service as sites
from commentdesk.sites.schemas import SiteProfile
from commentdesk.stories import service as stories
from commentdesk.stories.schemas import StoryModes
from commentdesk.web.deps import Asking, CommentId, read, write

router = APIRouter(prefix="/api/v1/moderation", tags=["moderation"])


@router.get("/queues")
async def read_queue_counts(
    request: Request,
    asking: Asking,
    site_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    story_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> QueueCounts:
    """How many comments each queue holds, for all the moderator's sites, one site or one
    story; exact up to `cap`, and the queues holding more are listed in `over_cap`."""

    def work(session: Session) -> QueueCounts:
        return queues.count_queues(
            session, moderator=asking.required(session), site_id=site_id, story_id=story_id
        )

    return await read(request, work)


@router.get("/queues/{queue}")
async def read_queue(
    queue: QueueName,
    request: Request,
    asking: Asking,
    order: QueueOrder = QueueOrder.OLDEST,
    site_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    story_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> QueuePage:
    """A moderation queue (pending, withheld, reported, unmoderated, approved, rejected) for
    all the moderator's sites, one site or one story; oldest, newest or priority first, with
    why each item sits where it does."""

    def work(session: Session) -> QueuePage:
        return queues.list_queue(
            session,
            queue=queue,
            moderator=asking.required(session),
            order=order,
            site_id=site_id,
            story_id=story_id,
            limit=limit,
            now=asking.now,
        )

    return await read(request, work)


@router.post("/decisions")
async def decide_many(draft: BulkDecisionDraft, request: Request, asking: Asking) -> BulkResult:
    """One decision on up to 200 comments; the returned `batch_id` undoes them all."""

    def work(session: Session) -> BulkResult:
        return moderation.decide_many(
            session,
            comment_ids=draft.comment_ids,
            moderator=asking.required(session),
            draft=DecisionDraft(action=draft.action, reason=draft.reason, message=draft.message),
            now=asking.now,
        )

    return await write(request, work)


@router.post("/decisions/{batch_id}/undo")
async def undo_decisions(
    batch_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")], request: Request, asking: Asking
) -> BulkResult:
    """Take back a batch of decisions: comments return to their earlier status and their
    reports reopen, except those changed again since."""

    def work(session: Session) -> BulkResult:
        return moderation.undo_batch(
            session, batch_id=batch_id, moderator=asking.required(session), now=asking.now
        )

    return await write(request, work)


@router.get("/campaigns")
async def read_campaigns(
    request: Request, asking: Asking, site_id: Annotated[int, Query(ge=1, le=2**31 - 1)]
) -> CampaignPage:
    """Near-identical comments by different accounts on one story within the site's campaign
    window (coordinated campaigns); decide a campaign's members at once with `POST /decisions`."""

    def work(session: Session) -> CampaignPage:
        site = sites.get_site(session, site_id=site_id)
        return campaigns.list_campaigns(
            session, site=site, moderator=asking.required(session), now=asking.now
        )

    return await read(request, work)


@router.get("/comments/{comment_id}")
async def read_comment_record(
    comment_id: CommentId, request: Request, asking: Asking
) -> CommentRecord:
    """A comment's full record: in context (story, parent, author's standing), its open
    reports, the pipeline's reasons, and every decision taken on it."""

    def work(session: Session) -> CommentRecord:
        viewer = asking.required(session)
        moderation.require_moderator(viewer)
        comment = comments.get_comment(session, comment_id=comment_id, viewer=viewer)
        return items.comment_record(session, comment=comment, moderator=viewer)

    return await read(request, work)


@router.get("/stories/{story_id}")
async def read_story_thread(
    story_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    request: Request,
    asking: Asking,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> StoryThread:
    """A story's whole thread in reply order: what readers see and everything hidden."""

    def work(session: Session) -> StoryThread:
        story = stories.get_story(session, story_id=story_id)
        return items.story_thread(
            session, story=story, moderator=asking.required(session), limit=limit
        )

    return await read(request, work)


@router.put("/stories/{story_id}/modes")
async def set_story_modes(
    story_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    modes: StoryModes,
    request: Request,
    asking: Asking,
) -> StoryModes:
    """Close or reopen a story to comments, and pre-moderate it or not (`null`: as its site)."""

    def work(session: Session) -> StoryModes:
        story = stories.get_story(session, story_id=story_id)
        return site_profile.update_story_modes(
            session, story=story, modes=modes, moderator=asking.required(session)
        )

    return await write(request, work)


@router.post("/comments/{comment_id}/decision")
async def decide(
    comment_id: CommentId, draft: DecisionDraft, request: Request, asking: Asking
) -> CommentView:
    """Approve, reject (with a reason code and a message for the author), feature or unfeature
    a comment."""

    def work(session: Session) -> CommentView:
        viewer = asking.required(session)
        moderation.require_moderator(viewer)
        comment = comments.get_comment(session, comment_id=comment_id, viewer=viewer)
        moderation.require_moderator(viewer, site_id=comment.site_id)
        moderation.decide(session, comment=comment, moderator=viewer, draft=draft, now=asking.now)
        return comment_view(comment, with_reason=True)

    return await write(request, work)


SiteId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/sites/{site_id}")
async def read_site_profile(site_id: SiteId, request: Request, asking: Asking) -> SiteProfile:
    """A site's name, comment policy, disclaimer, pre-moderation mode and edit window."""

    def work(session: Session) -> SiteProfile:
        site = sites.get_site(session, site_id=site_id)
        return site_profile.site_profile(site, viewer=asking.required(session))

    return await read(request, work)


@router.put("/sites/{site_id}")
async def replace_site_profile(
    site_id: SiteId, profile: SiteProfile, request: Request, asking: Asking
) -> SiteProfile:
    """Replace a site's profile (admins); readers see the new policy on their next load."""

    def work(session: Session) -> SiteProfile:
        site = sites.get_site(session, site_id=site_id)
        return site_profile.update_site_profile(
            session, site=site, profile=profile, actor=asking.required(session)
        )

    return await write(request, work)


@router.get("/sites/{site_id}/settings")
async def read_site_settings(
    site_id: SiteId, request: Request, asking: Asking
) -> ModerationSettings:
    """A site's moderation settings: word lists, link policy, thresholds (moderators)."""

    def work(session: Session) -> ModerationSettings:
        site = sites.get_site(session, site_id=site_id)
        moderation.require_moderator(asking.required(session), site_id=site.id)
        return intake.moderation_settings(session, site=site)[0]

    return await read(request, work)


@router.put("/sites/{site_id}/settings")
async def replace_site_settings(
    site_id: SiteId, settings: ModerationSettings, request: Request, asking: Asking
) -> ModerationSettings:
    """Replace a site's moderation settings (admins)."""

    def work(session: Session) -> ModerationSettings:
        site = sites.get_site(session, site_id=site_id)
        return intake.update_settings(
            session, site=site, settings=settings, actor=asking.required(session)
        )

    return await write(request, work)


AccountId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/accounts/{account_id}")
async def read_account(account_id: AccountId, request: Request, asking: Asking) -> AccountRecord:
    """An account's standing, comments by status, report record and past actions."""

    def work(session: Session) -> AccountRecord:
        viewer = asking.required(session)
        moderation.require_moderator(viewer)
        subject = standing.get_account(session, account_id=account_id)
        return standing.account_record(session, subject=subject, viewer=viewer)

    return await read(request, work)


@router.post("/accounts/{account_id}/actions", status_code=201)
async def act_on_account(
    account_id: AccountId, draft: AccountActionDraft, request: Request, asking: Asking
) -> AccountActionView:
    """Ban, suspend until a time, reinstate, pre-moderate, warn or note an account."""

    def work(session: Session) -> AccountActionView:
        viewer = asking.required(session)
        moderation.require_moderator(viewer)
        subject = standing.get_account(session, account_id=account_id)
        return standing.act_on_account(
            session, subject=subject, actor=viewer, draft=draft, now=asking.now
        )

    return await write(request, work)


@router.put("/accounts/{account_id}/sites")
async def assign_sites(
    account_id: AccountId, assignment: SiteAssignment, request: Request, asking: Asking
) -> SiteAssignment:
    """Limit a moderator to these sites; an empty list frees them for every site (admins)."""

    def work(session: Session) -> SiteAssignment:
        viewer = asking.required(session)
        moderation.require_moderator(viewer)
        subject = standing.get_account(session, account_id=account_id)
        return standing.assign_sites(
            session, subject=subject, actor=viewer, assignment=assignment, now=asking.now
        )

    return await write(request, work)


@router.get("/audit")
async def read_audit_log(
    request: Request,
    asking: Asking,
    site_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    actor_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    before: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AuditPage:
    """Every status change of a comment, newest first, filtered by site, moderator or action."""

    def work(session: Session) -> AuditPage:
        return standing.audit_log(
            session,
            viewer=asking.required(session),
            site_id=site_id,
            actor_id=actor_id,
            action=action,
            before=before,
            limit=limit,
        )

    return await read(request, work)


@router.get("/comments")
async def search_comments(
    request: Request,
    asking: Asking,
    q: Annotated[str | None, Query(max_length=200, description="Text the body contains.")] = None,
    author_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    story_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    site_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> QueuePage:
    """Search comments of any status by text, author and story (moderators)."""

    def work(session: Session) -> QueuePage:
        return queues.search_comments(
            session,
            moderator=asking.required(session),
            text=q,
            author_id=author_id,
            story_id=story_id,
            site_id=site_id,
            limit=limit,
        )

    return await read(request, work)
