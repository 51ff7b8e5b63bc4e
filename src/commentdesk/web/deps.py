"""Request dependencies: the database session, the clock, the signed-in viewer, the CMS site."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Header, Path, Request
from sqlalchemy.orm import Session

from commentdesk.accounts import service as accounts
from commentdesk.accounts.models import Account
from commentdesk.errors import NotFound, Unauthenticated
from commentdesk.settings import Settings
from commentdesk.sites import service as sites
from commentdesk.sites.models import Site

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# Dependencies that do no I/O are `async def`, so FastAPI runs them on the event loop instead of
# sending each one through the thread pool.


async def db_session(request: Request) -> AsyncIterator[Session]:
    """A session for this request: a writer (SQLite BEGIN IMMEDIATE) unless the method is safe.
    Handlers commit; anything not committed is rolled back here. Creating a session does no I/O;
    its first query, in the handler's worker thread, checks a connection out."""
    state = request.app.state
    factory = state.reader_factory if request.method in SAFE_METHODS else state.writer_factory
    with factory() as session:
        yield session


async def utc_now() -> datetime:
    return datetime.now(UTC)


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# Ids are 32-bit in the schema: a larger number must be a 422, not a database overflow.
CommentId = Annotated[int, Path(ge=1, le=2**31 - 1)]
DbSession = Annotated[Session, Depends(db_session)]
Now = Annotated[datetime, Depends(utc_now)]
AppSettings = Annotated[Settings, Depends(get_settings)]


class Actor:
    """Who is asking, resolved on demand inside the handler's worker thread, so that a request
    crosses into the thread pool once (a separate sync dependency would be a second crossing)."""

    def __init__(self, session: Session, token: str | None, now: datetime) -> None:
        self._session = session
        self._token = token
        self._now = now
        self._resolved = False
        self._account: Account | None = None

    def optional(self) -> Account | None:
        """The account behind the bearer token, None without one."""
        if not self._resolved:
            if self._token is not None:
                self._account = accounts.find_by_token(
                    self._session, token=self._token, now=self._now
                )
                if self._account is None:
                    raise Unauthenticated(
                        "The sign-in token is unknown or has expired; sign in again."
                    )
            self._resolved = True
        return self._account

    def required(self) -> Account:
        account = self.optional()
        if account is None:
            raise Unauthenticated("Sign in to do this.")
        return account


async def actor(
    session: DbSession, now: Now, authorization: Annotated[str | None, Header()] = None
) -> Actor:
    """Parse the bearer token (no I/O here); a malformed header is a 401, not a guest."""
    if authorization is None:
        return Actor(session, None, now)
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Send the token as 'Authorization: Bearer <token>'.")
    return Actor(session, token.strip(), now)


def cms_site(
    session: DbSession, x_api_key: Annotated[str | None, Header(max_length=200)] = None
) -> Site:
    """The site whose CMS API key is in the X-API-Key header."""
    if not x_api_key:
        raise Unauthenticated("Send the site's API key in the X-API-Key header.")
    try:
        return sites.get_by_api_key(session, api_key=x_api_key)
    except NotFound as error:
        raise Unauthenticated("The API key is not valid for any site.") from error


Asking = Annotated[Actor, Depends(actor)]
CmsSite = Annotated[Site, Depends(cms_site)]
