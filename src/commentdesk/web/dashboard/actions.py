"""The dashboard's forms: sign in and out, decisions (one, many, undo), account actions and site
settings. Each works as a plain form (303 back to the page) and from the page's script (JSON
when it asks for it). Every one checks the origin and the session's CSRF token."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from commentdesk.accounts import service as accounts
from commentdesk.accounts.models import Account
from commentdesk.errors import InvalidInput, PermissionDenied, RateLimited, Unauthenticated
from commentdesk.moderation import intake, site_profile, standing
from commentdesk.moderation import service as moderation
from commentdesk.moderation.models import AccountActionKind
from commentdesk.moderation.schemas import (
    AccountActionDraft,
    DecisionAction,
    DecisionDraft,
    RejectReason,
)
from commentdesk.moderation.settings import ModerationSettings
from commentdesk.sites import service as sites
from commentdesk.sites.schemas import SiteProfile
from commentdesk.stories import service as stories
from commentdesk.stories.schemas import StoryModes
from commentdesk.web.dashboard import session as desk_session
from commentdesk.web.dashboard import settings_form
from commentdesk.web.dashboard.frame import load_frame, render
from commentdesk.web.dashboard.session import DeskAsking, LoginThrottle, safe_next
from commentdesk.web.deps import AppSettings, CommentId, Now, read, write

router = APIRouter(prefix="/desk", include_in_schema=False)

Csrf = Annotated[str, Form(max_length=128)]
Next = Annotated[str | None, Form(max_length=500)]
Note = Annotated[str | None, Form(max_length=1000)]


Model = TypeVar("Model", bound=BaseModel)


def build(model: type[Model], **values: Any) -> Model:
    """A schema from form values; what it refuses is a 422 with the field named."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"]) or "form"
        raise InvalidInput(f"{where}: {problem['msg']}") from error


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def done(request: Request, next_path: str | None, result: dict[str, Any]) -> Response:
    if wants_json(request):
        return JSONResponse(result)
    return RedirectResponse(safe_next(next_path), status_code=303)


@router.get("/login")
async def login_page(request: Request, settings: AppSettings, next: str | None = None) -> Response:
    token = desk_session.login_form_token(request)
    response = render(request, "login.html", None, csrf=token, next=safe_next(next), error=None)
    desk_session.set_login_token(response, request, settings, token)
    return response


@router.post("/login")
async def login(
    request: Request,
    settings: AppSettings,
    now: Now,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=256)],
    csrf: Csrf,
    next: Next = None,
) -> Response:
    """Sign in with email and password; only moderators and admins get a session."""
    expected = request.cookies.get(desk_session.LOGIN_COOKIE, "")
    desk_session.check_csrf(request, expected, csrf)

    def check(session: Session) -> int:
        account = accounts.authenticate(session, email=email, password=password)
        moderation.require_moderator(account)
        return account.id

    try:
        throttle: LoginThrottle = request.app.state.login_throttle
        throttle.check(request, email)
        account_id = await read(request, check)
    except (Unauthenticated, PermissionDenied, RateLimited) as error:
        status = {Unauthenticated: 401, PermissionDenied: 403}.get(type(error), 429)
        message = (
            "This account cannot use the editors' desk."
            if isinstance(error, PermissionDenied)
            else error.message
        )
        return render(
            request, "login.html", None, status, csrf=expected, next=safe_next(next), error=message
        )

    def issue(session: Session) -> str:
        return accounts.issue_token(
            session,
            account=session.get_one(Account, account_id),
            now=now,
            ttl_seconds=settings.desk_session_seconds,
        )

    token = await write(request, issue)
    response = RedirectResponse(safe_next(next), status_code=303)
    desk_session.set_session(response, request, settings, token)
    return response


@router.post("/logout")
async def logout(
    request: Request, asking: DeskAsking, settings: AppSettings, csrf: Csrf
) -> Response:
    desk_session.check_csrf(request, asking.csrf, csrf)
    token = asking.token or ""
    await write(request, lambda session: accounts.revoke_token(session, token=token))
    response = RedirectResponse("/desk/login", status_code=303)
    desk_session.end_session(response, request, settings)
    return response


@router.post("/comments/{comment_id}/decision")
async def decide(
    comment_id: CommentId,
    request: Request,
    asking: DeskAsking,
    action: Annotated[DecisionAction, Form()],
    csrf: Csrf,
    reason: Annotated[RejectReason | None, Form()] = None,
    message: Note = None,
    next: Next = None,
) -> Response:
    """One decision, as a batch of one so that `u` can undo it."""
    desk_session.check_csrf(request, asking.csrf, csrf)
    draft = build(DecisionDraft, action=action, reason=reason, message=message or None)

    def work(session: Session) -> dict[str, Any]:
        result = moderation.decide_many(
            session,
            comment_ids=[comment_id],
            moderator=asking.required(session),
            draft=draft,
            now=asking.now,
        )
        return result.model_dump()

    result = await write(request, work)
    if result["skipped"]:
        skip = result["skipped"][0]
        raise InvalidInput(skip["message"], details={"code": skip["code"]})
    return done(request, next, result)


@router.post("/decisions")
async def decide_many(
    request: Request,
    asking: DeskAsking,
    action: Annotated[DecisionAction, Form()],
    comment_ids: Annotated[list[Annotated[int, Path(ge=1, le=2**31 - 1)]], Form()],
    csrf: Csrf,
    reason: Annotated[RejectReason | None, Form()] = None,
    message: Note = None,
    next: Next = None,
) -> Response:
    """One decision on the selected comments; the batch id undoes them all."""
    desk_session.check_csrf(request, asking.csrf, csrf)
    if not 1 <= len(comment_ids) <= 200:
        raise InvalidInput("Select between 1 and 200 comments.")
    draft = build(DecisionDraft, action=action, reason=reason, message=message or None)

    def work(session: Session) -> dict[str, Any]:
        return moderation.decide_many(
            session,
            comment_ids=comment_ids,
            moderator=asking.required(session),
            draft=draft,
            now=asking.now,
        ).model_dump()

    return done(request, next, await write(request, work))


@router.post("/decisions/{batch_id}/undo")
async def undo(
    batch_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")],
    request: Request,
    asking: DeskAsking,
    csrf: Csrf,
    next: Next = None,
) -> Response:
    desk_session.check_csrf(request, asking.csrf, csrf)

    def work(session: Session) -> dict[str, Any]:
        return moderation.undo_batch(
            session, batch_id=batch_id, moderator=asking.required(session), now=asking.now
        ).model_dump()

    return done(request, next, await write(request, work))


@router.post("/accounts/{account_id}/actions")
async def act_on_account(
    account_id: CommentId,
    request: Request,
    asking: DeskAsking,
    action: Annotated[AccountActionKind, Form()],
    csrf: Csrf,
    reason: Note = None,
    suspend_hours: Annotated[int | None, Form(ge=1, le=24 * 365)] = None,
    next: Next = None,
) -> Response:
    """Ban, suspend for some hours, reinstate, pre-moderate, warn or note an account."""
    desk_session.check_csrf(request, asking.csrf, csrf)
    # The service decides what an action needs: a suspension must have an end, nothing else may.
    draft = build(
        AccountActionDraft,
        action=action,
        reason=reason or None,
        until=asking.now + timedelta(hours=suspend_hours) if suspend_hours else None,
    )

    def work(session: Session) -> dict[str, Any]:
        subject = standing.get_account(session, account_id=account_id)
        return standing.act_on_account(
            session, subject=subject, actor=asking.required(session), draft=draft, now=asking.now
        ).model_dump(mode="json")

    return done(request, next, await write(request, work))


@router.post("/stories/{story_id}/modes")
async def save_story_modes(
    story_id: CommentId,
    request: Request,
    asking: DeskAsking,
    csrf: Csrf,
    is_closed: Annotated[str | None, Form(max_length=10)] = None,
    premoderation: Annotated[str, Form(pattern="^(site|on|off)$")] = "site",
) -> Response:
    """Close or reopen the story to comments, and set its pre-moderation."""
    desk_session.check_csrf(request, asking.csrf, csrf)
    modes = StoryModes(
        is_closed=bool(is_closed),
        is_premoderated={"site": None, "on": True, "off": False}[premoderation],
    )

    def work(session: Session) -> None:
        story = stories.get_story(session, story_id=story_id)
        site_profile.update_story_modes(
            session, story=story, modes=modes, moderator=asking.required(session)
        )

    await write(request, work)
    return done(request, f"/desk/stories/{story_id}", {"saved": "modes"})


@router.post("/sites/{site_id}/profile")
async def save_profile(
    site_id: CommentId,
    request: Request,
    asking: DeskAsking,
    csrf: Csrf,
    name: Annotated[str, Form(max_length=200)],
    policy: Annotated[str, Form(max_length=4000)],
    disclaimer: Annotated[str, Form(max_length=4000)],
    edit_window_seconds: Annotated[int, Form(ge=0, le=7 * 86_400)],
    is_premoderated: Annotated[str | None, Form(max_length=10)] = None,
) -> Response:
    """Change the site's name, policy, disclaimer, site-wide pre-moderation and edit window."""
    desk_session.check_csrf(request, asking.csrf, csrf)
    profile = build(
        SiteProfile,
        name=name,
        policy=policy,
        disclaimer=disclaimer,
        is_premoderated=bool(is_premoderated),
        edit_window_seconds=edit_window_seconds,
    )

    def work(session: Session) -> None:
        site = sites.get_site(session, site_id=site_id)
        site_profile.update_site_profile(
            session, site=site, profile=profile, actor=asking.required(session)
        )

    await write(request, work)
    return done(request, f"/desk/sites/{site_id}/settings?saved=profile", {"saved": "profile"})


@router.post("/sites/{site_id}/settings")
async def save_settings(site_id: CommentId, request: Request, asking: DeskAsking) -> Response:
    """Replace the site's moderation settings from the generated form."""
    form = await request.form(max_fields=100, max_part_size=2 * 1024 * 1024)
    submitted = {key: value for key, value in form.items() if isinstance(value, str)}
    desk_session.check_csrf(request, asking.csrf, submitted.get("csrf"))
    settings, errors = await run_in_threadpool(settings_form.parse, submitted)
    if settings is None:

        def reload(session: Session) -> dict[str, Any]:
            frame, viewer = load_frame(session, asking, site_id=site_id)
            site = sites.get_site(session, site_id=site_id)
            return {
                "frame": frame,
                "profile": site_profile.site_profile(site, viewer=viewer),
                "site_name": site.name,
            }

        found = await read(request, reload)
        fields = [
            settings_form.refilled(field, submitted)
            for field in settings_form.fields(ModerationSettings())
        ]
        return render(
            request,
            "settings.html",
            found["frame"],
            status_code=422,
            site_id=site_id,
            site_name=found["site_name"],
            profile=found["profile"],
            fields=fields,
            errors=errors,
        )
    valid = settings

    def work(session: Session) -> None:
        site = sites.get_site(session, site_id=site_id)
        intake.update_settings(session, site=site, settings=valid, actor=asking.required(session))

    await write(request, work)
    return done(
        request, f"/desk/sites/{site_id}/settings?saved=moderation", {"saved": "moderation"}
    )
