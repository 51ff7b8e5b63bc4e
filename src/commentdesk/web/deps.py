"""Request dependencies and the two ways a handler reaches the database.

`read(request, work)` runs `work(session)` in the thread pool with a read session; `write(request,
work)` hands it to the write queue (db/writer.py), which commits it, batched with other writes,
before the handler gets the result. Dependencies do no I/O, so they run on the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Path, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from commentdesk.accounts import service as accounts
from commentdesk.accounts.models import Account
from commentdesk.db.writer import WriteQueue
from commentdesk.errors import NotFound, Unauthenticated
from commentdesk.settings import Settings
from commentdesk.sites import service as sites
from commentdesk.sites.models import Site

Result = TypeVar("Result")


async def read(request: Request, work: Callable[[Session], Result]) -> Result:
    """Run `work(session)` in the thread pool with a session that only reads."""

    def in_thread() -> Result:
        with request.app.state.reader_factory() as session:
            return work(session)

    return await run_in_threadpool(in_thread)


async def write(request: Request, work: Callable[[Session], Result]) -> Result:
    """Run `work(session)` on the write queue; returns once it is committed (never commit in
    `work`)."""
    write_queue: WriteQueue = request.app.state.write_queue
    return await write_queue.run(work)


async def utc_now() -> datetime:
    return datetime.now(UTC)


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# Ids are 32-bit in the schema: a larger number must be a 422, not a database overflow.
CommentId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Now = Annotated[datetime, Depends(utc_now)]
AppSettings = Annotated[Settings, Depends(get_settings)]


class Actor:
    """Who is asking: the bearer token, resolved to an account inside the unit of work."""

    def __init__(self, token: str | None, now: datetime) -> None:
        self.token = token
        self.now = now

    def optional(self, session: Session) -> Account | None:
        """The account behind the bearer token, None without one; an unknown token is a 401."""
        if self.token is None:
            return None
        account = accounts.find_by_token(session, token=self.token, now=self.now)
        if account is None:
            raise Unauthenticated("The sign-in token is unknown or has expired; sign in again.")
        return account

    def required(self, session: Session) -> Account:
        account = self.optional(session)
        if account is None:
            raise Unauthenticated("Sign in to do this.")
        return account


async def actor(authorization: Annotated[str | None, Header()] = None) -> Actor:
    """Parse the bearer token; a malformed header is a 401, not a guest. The request's time is
    taken here, not from the `Now` dependency: one dependency fewer on every request."""
    now = datetime.now(UTC)
    if authorization is None:
        return Actor(None, now)
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Send the token as 'Authorization: Bearer <token>'.")
    return Actor(token.strip(), now)


Asking = Annotated[Actor, Depends(actor)]


async def cms_key(x_api_key: Annotated[str | None, Header(max_length=200)] = None) -> str:
    if not x_api_key:
        raise Unauthenticated("Send the site's API key in the X-API-Key header.")
    return x_api_key


CmsKey = Annotated[str, Depends(cms_key)]


def cms_site(session: Session, api_key: str) -> Site:
    """The site whose CMS API key this is; a wrong key is a 401."""
    try:
        return sites.get_by_api_key(session, api_key=api_key)
    except NotFound as error:
        raise Unauthenticated("The API key is not valid for any site.") from error
