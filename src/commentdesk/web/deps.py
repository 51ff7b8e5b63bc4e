"""Request dependencies: the database session, the clock, the signed-in viewer, the CMS site."""

from __future__ import annotations

from collections.abc import Iterator
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


def db_session(request: Request) -> Iterator[Session]:
    """A session for this request: a writer (SQLite BEGIN IMMEDIATE) unless the method is safe.
    Handlers commit; anything not committed is rolled back here."""
    state = request.app.state
    factory = state.reader_factory if request.method in SAFE_METHODS else state.writer_factory
    with factory() as session:
        yield session


def utc_now() -> datetime:
    return datetime.now(UTC)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# Ids are 32-bit in the schema: a larger number must be a 422, not a database overflow.
CommentId = Annotated[int, Path(ge=1, le=2**31 - 1)]
DbSession = Annotated[Session, Depends(db_session)]
Now = Annotated[datetime, Depends(utc_now)]
AppSettings = Annotated[Settings, Depends(get_settings)]


def optional_viewer(
    session: DbSession, now: Now, authorization: Annotated[str | None, Header()] = None
) -> Account | None:
    """The account behind the bearer token, None without one; a bad token is a 401, not a guest."""
    if authorization is None:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Send the token as 'Authorization: Bearer <token>'.")
    account = accounts.find_by_token(session, token=token.strip(), now=now)
    if account is None:
        raise Unauthenticated("The sign-in token is unknown or has expired; sign in again.")
    return account


def required_viewer(viewer: Annotated[Account | None, Depends(optional_viewer)]) -> Account:
    if viewer is None:
        raise Unauthenticated("Sign in to do this.")
    return viewer


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


Viewer = Annotated[Account | None, Depends(optional_viewer)]
SignedInViewer = Annotated[Account, Depends(required_viewer)]
CmsSite = Annotated[Site, Depends(cms_site)]
