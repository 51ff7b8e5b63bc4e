"""The dashboard's sign-in: an opaque session token in an HttpOnly, SameSite=Strict cookie, and
a CSRF token derived from it that every form carries. Knows nothing of moderation."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request, Response
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from commentdesk.errors import CsrfFailed, RateLimited, Unauthenticated
from commentdesk.settings import Settings
from commentdesk.web.deps import Actor

SESSION_COOKIE = "commentdesk_desk"
LOGIN_COOKIE = "commentdesk_desk_login"
COOKIE_PATH = "/desk"
LOGIN_ATTEMPTS_PER_MINUTE = 10


def csrf_token(session_token: str) -> str:
    """The form token of a session: derived, so nothing more is stored, and useless without
    the HttpOnly cookie it came from."""
    return hmac.new(session_token.encode(), b"commentdesk-desk-csrf", hashlib.sha256).hexdigest()


class DeskActor(Actor):
    """The moderator behind the session cookie, and the CSRF token their forms must carry."""

    def __init__(self, token: str, now: datetime) -> None:
        super().__init__(token, now)
        self.csrf = csrf_token(token)


async def desk_actor(request: Request) -> DeskActor:
    """The session cookie's actor; without one the dashboard sends the browser to sign in."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise Unauthenticated("Sign in to the editors' desk.")
    return DeskActor(token, datetime.now(UTC))


DeskAsking = Annotated[DeskActor, Depends(desk_actor)]


def check_same_origin(request: Request) -> None:
    """Refuse a form posted from another site; browsers send Origin on every POST."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        raise CsrfFailed("The form did not say where it came from; reload the page.")
    parts = urlsplit(origin)
    if (parts.scheme, parts.netloc) != (request.url.scheme, request.url.netloc):
        raise CsrfFailed("This form was posted from another site.")


def check_csrf(request: Request, expected: str, submitted: str | None) -> None:
    """Both defences for a state-changing form: same origin and the session's token."""
    check_same_origin(request)
    if not submitted or not hmac.compare_digest(expected, submitted):
        raise CsrfFailed("The form has expired; reload the page and try again.")


def is_secure(request: Request, settings: Settings) -> bool:
    if settings.desk_cookie_secure is not None:
        return settings.desk_cookie_secure
    return request.url.scheme == "https"


def set_session(response: Response, request: Request, settings: Settings, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.desk_session_seconds,
        path=COOKIE_PATH,
        secure=is_secure(request, settings),
        httponly=True,
        samesite="strict",
    )
    response.delete_cookie(LOGIN_COOKIE, path=COOKIE_PATH)


def end_session(response: Response, request: Request, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path=COOKIE_PATH,
        secure=is_secure(request, settings),
        httponly=True,
        samesite="strict",
    )


def login_form_token(request: Request) -> str:
    """The sign-in form's token: a double-submit value, since there is no session yet."""
    return request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)


def set_login_token(response: Response, request: Request, settings: Settings, token: str) -> None:
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        path=COOKIE_PATH,
        secure=is_secure(request, settings),
        httponly=True,
        samesite="strict",
    )


class LoginThrottle:
    """Sign-in attempts per client address and email, so a password cannot be guessed at speed."""

    def __init__(self) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._item = RateLimitItemPerMinute(LOGIN_ATTEMPTS_PER_MINUTE)

    def check(self, request: Request, email: str) -> None:
        client = request.client.host if request.client else "unknown"
        if not self._limiter.hit(self._item, client, email.lower()):
            raise RateLimited("Too many sign-in attempts; wait a minute and try again.")


def safe_next(target: str | None) -> str:
    """Where to go after a form: only a path inside the dashboard, never another site."""
    if target and target.startswith("/desk/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return "/desk/"
