"""The dashboard's pages: queues, one queue item (for live updates), counts, a comment's record,
a story's whole thread, an account, a site's settings, assistant charts and campaigns, the
audit log and search."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from commentdesk.accounts.models import Account
from commentdesk.comments import service as comments
from commentdesk.moderation import campaigns, intake, items, picks, queues, site_profile, standing
from commentdesk.moderation import service as moderation
from commentdesk.moderation.queues import QueueName, QueueOrder
from commentdesk.scoring import overturns
from commentdesk.scoring import service as scoring
from commentdesk.sites import service as sites
from commentdesk.stories import service as stories
from commentdesk.web.dashboard import settings_form
from commentdesk.web.dashboard.frame import Frame, load_frame, render
from commentdesk.web.dashboard.session import DeskAsking
from commentdesk.web.deps import CommentId, Now, read

router = APIRouter(prefix="/desk", include_in_schema=False)

QUEUE_PAGE_SIZE = 50
STORY_THREAD_LIMIT = 1000
OptionalId = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]


# Where the desk opens: the first of these queues with work in it.
LANDING_QUEUES = (QueueName.WITHHELD, QueueName.REPORTED, QueueName.PENDING)


@router.get("")
@router.get("/")
async def desk_home(request: Request, asking: DeskAsking) -> Response:
    """The most urgent queue that has work: withheld, then reported, then pending."""

    def work(session: Session) -> dict[str, int]:
        return queues.count_queues(session, moderator=asking.required(session)).counts

    counts = await read(request, work)
    landing = next((queue for queue in LANDING_QUEUES if counts[queue]), QueueName.PENDING)
    return RedirectResponse(f"/desk/queues/{landing.value}", status_code=303)


@router.get("/queues/{queue}", response_class=HTMLResponse)
async def queue_page(
    queue: QueueName,
    request: Request,
    asking: DeskAsking,
    order: QueueOrder = QueueOrder.PRIORITY,
    site_id: OptionalId = None,
    story_id: OptionalId = None,
) -> Response:
    """One queue, worked from the keyboard; new items arrive over the stream."""

    def load(session: Session, viewer: Account) -> dict[str, Any]:
        listed = queues.list_queue(
            session,
            queue=queue,
            moderator=viewer,
            order=order,
            site_id=site_id,
            story_id=story_id,
            limit=QUEUE_PAGE_SIZE,
            now=asking.now,
        )
        return {"page": listed, "queue": queue, "order": order, "orders": list(QueueOrder)}

    return await page(
        request,
        asking,
        "queue.html",
        load,
        site_id=site_id,
        story_id=story_id,
        page_size=QUEUE_PAGE_SIZE,
    )


@router.get("/items/{comment_id}", response_class=HTMLResponse)
async def queue_item(
    comment_id: CommentId,
    request: Request,
    asking: DeskAsking,
    queue: QueueName | None = None,
    site_id: OptionalId = None,
    story_id: OptionalId = None,
) -> Response:
    """One comment rendered as the list shows it; with `queue`, a 204 when it is not (or no
    longer) in that queue, which is how a live page learns to drop it."""

    def work(session: Session) -> Any:
        viewer = asking.required(session)
        moderation.require_moderator(viewer)
        if queue is None:
            comment = comments.get_comment(session, comment_id=comment_id, viewer=viewer)
            return items.comment_record(session, comment=comment, moderator=viewer).item
        return queues.find_in_queue(
            session,
            queue=queue,
            comment_id=comment_id,
            moderator=viewer,
            site_id=site_id,
            story_id=story_id,
            now=asking.now,
        )

    item = await read(request, work)
    if item is None:
        return Response(status_code=204)
    return render(request, "item.html", None, item=item, csrf=asking.csrf, queue=queue)


@router.get("/counts")
async def queue_counts(
    request: Request, asking: DeskAsking, site_id: OptionalId = None, story_id: OptionalId = None
) -> JSONResponse:
    """Every queue's count in the scope, for the live navigation."""

    def work(session: Session) -> dict[str, Any]:
        return queues.count_queues(
            session, moderator=asking.required(session), site_id=site_id, story_id=story_id
        ).model_dump()

    return JSONResponse(await read(request, work), headers={"Cache-Control": "no-store"})


@router.get("/comments/{comment_id}", response_class=HTMLResponse)
async def comment_page(comment_id: CommentId, request: Request, asking: DeskAsking) -> Response:
    """A comment in context with every decision taken on it."""

    def load(session: Session, viewer: Account) -> dict[str, Any]:
        comment = comments.get_comment(session, comment_id=comment_id, viewer=viewer)
        return {
            "record": items.comment_record(session, comment=comment, moderator=viewer),
            "campaign": campaigns.find_campaign_of(session, comment=comment, moderator=viewer),
        }

    return await page(request, asking, "comment.html", load)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(story_id: RowId, request: Request, asking: DeskAsking) -> Response:
    """A story's thread as readers see it, and everything hidden from them, in place."""

    def load(session: Session, viewer: Account) -> dict[str, Any]:
        story = stories.get_story(session, story_id=story_id)
        return {
            "thread": items.story_thread(
                session, story=story, moderator=viewer, limit=STORY_THREAD_LIMIT
            )
        }

    return await page(request, asking, "story.html", load, story_id=story_id)


@router.get("/accounts/{account_id}", response_class=HTMLResponse)
async def account_page(account_id: RowId, request: Request, asking: DeskAsking) -> Response:
    """An account's standing, its comments by status, its reports and past actions."""

    def load(session: Session, viewer: Account) -> dict[str, Any]:
        subject = standing.get_account(session, account_id=account_id)
        return {"record": standing.account_record(session, subject=subject, viewer=viewer)}

    return await page(request, asking, "account.html", load)


@router.get("/sites/{site_id}/settings", response_class=HTMLResponse)
async def settings_page(site_id: RowId, request: Request, asking: DeskAsking) -> Response:
    """A site's policy, lists, thresholds and modes; admins may change them."""

    def load(session: Session, viewer: Account) -> dict[str, Any]:
        site = sites.get_site(session, site_id=site_id)
        return {
            "site_id": site_id,
            "site_name": site.name,
            "profile": site_profile.site_profile(site, viewer=viewer),
            "fields": settings_form.fields(intake.moderation_settings(session, site=site)[0]),
            "errors": {},
        }

    return await page(request, asking, "settings.html", load, site_id=site_id)


ASSISTANT_DAYS = 30


@router.get("/sites/{site_id}/assistant", response_class=HTMLResponse)
async def assistant_page(
    site_id: RowId, request: Request, asking: DeskAsking, now: Now
) -> Response:
    """What the moderation assistant said of the site's comments lately, as charts."""

    def load(session: Session, viewer: Account) -> dict[str, Any]:
        site = sites.get_site(session, site_id=site_id)
        since = now - timedelta(days=ASSISTANT_DAYS)
        distributions = scoring.score_distributions(session, site_id=site_id, since=since)
        return {
            "site_id": site_id,
            "site_name": site.name,
            "days": ASSISTANT_DAYS,
            "distributions": distributions,
            "tallest": max((max(counts) for counts in distributions.values()), default=0),
            "site_slug": site.slug,
            "head": intake.moderation_settings(session, site=site)[0].assistant_head,
            "overturns": overturns.weekly_overturns(session, site_id=site_id, now=now),
        }

    return await page(request, asking, "assistant.html", load, site_id=site_id)


@router.get("/sites/{site_id}/picks", response_class=HTMLResponse)
async def picks_page(site_id: RowId, request: Request, asking: DeskAsking, now: Now) -> Response:
    """Suggested editor's picks: the week's most constructive published comments."""

    def load(session: Session, viewer: Account) -> dict[str, Any]:
        site = sites.get_site(session, site_id=site_id)
        suggestions = picks.suggest_picks(session, site=site, moderator=viewer, now=now)
        return {
            "site_id": site_id,
            "site_name": site.name,
            "suggestions": suggestions,
            "min_score": picks.MIN_SCORE,
            "days": picks.WINDOW.days,
        }

    return await page(request, asking, "picks.html", load, site_id=site_id)


@router.get("/sites/{site_id}/campaigns", response_class=HTMLResponse)
async def campaigns_page(site_id: RowId, request: Request, asking: DeskAsking) -> Response:
    """Near-identical comments by different accounts on one story, each decided at once."""

    def load(session: Session, viewer: Account) -> dict[str, Any]:
        site = sites.get_site(session, site_id=site_id)
        found = campaigns.list_campaigns(session, site=site, moderator=viewer, now=asking.now)
        return {"site_id": site_id, "site_name": site.name, "found": found}

    return await page(request, asking, "campaigns.html", load, site_id=site_id)


@router.get("/audit", response_class=HTMLResponse)
async def audit_page(
    request: Request,
    asking: DeskAsking,
    site_id: OptionalId = None,
    actor_id: OptionalId = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    before: OptionalId = None,
) -> Response:
    """Every decision on a comment, newest first, filtered by site, moderator and action."""

    def load(session: Session, viewer: Account) -> dict[str, Any]:
        log = standing.audit_log(
            session,
            viewer=viewer,
            site_id=site_id,
            actor_id=actor_id,
            action=action or None,
            before=before,
            limit=100,
        )
        return {"log": log}

    filters = {"site_id": site_id, "actor_id": actor_id, "action": action or ""}
    return await page(request, asking, "audit.html", load, site_id=site_id, filters=filters)


@router.get("/search", response_class=HTMLResponse)
async def search_page(
    request: Request,
    asking: DeskAsking,
    q: Annotated[str | None, Query(max_length=200)] = None,
    author_id: OptionalId = None,
    story_id: OptionalId = None,
    site_id: OptionalId = None,
) -> Response:
    """Comments of any status by text, author and story."""

    def load(session: Session, viewer: Account) -> dict[str, Any]:
        found = queues.search_comments(
            session,
            moderator=viewer,
            text=q or None,
            author_id=author_id,
            story_id=story_id,
            site_id=site_id,
            limit=QUEUE_PAGE_SIZE,
        )
        return {"page": found}

    filters = {"q": q or "", "author_id": author_id, "story_id": story_id}
    return await page(request, asking, "search.html", load, site_id=site_id, filters=filters)


async def page(
    request: Request,
    asking: DeskAsking,
    template: str,
    load: Callable[[Session, Account], dict[str, Any]],
    *,
    site_id: int | None = None,
    story_id: int | None = None,
    **context: Any,
) -> Response:
    """A desk page: its frame and what `load` finds, read in one unit of work."""

    def work(session: Session) -> tuple[Frame, dict[str, Any]]:
        frame, viewer = load_frame(session, asking, site_id=site_id, story_id=story_id)
        return frame, load(session, viewer)

    frame, found = await read(request, work)
    return render(request, template, frame, **context, **found)
