"""Sign-up and sign-in for readers: local accounts and the publisher's SSO."""

from __future__ import annotations

from fastapi import APIRouter

from commentdesk.accounts import service as accounts
from commentdesk.accounts.models import Account
from commentdesk.accounts.schemas import (
    AccountView,
    Credentials,
    Registration,
    SignedIn,
    SsoLogin,
)
from commentdesk.web.deps import AppSettings, Asking, DbSession, Now

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


def _signed_in(session: DbSession, account: Account, now: Now, settings: AppSettings) -> SignedIn:
    token = accounts.issue_token(
        session, account=account, now=now, ttl_seconds=settings.token_ttl_seconds
    )
    session.commit()
    return SignedIn(token=token, account=account_view(account))


def account_view(account: Account) -> AccountView:
    return AccountView(id=account.id, name=account.display_name, role=account.role)


@router.post("/register", status_code=201)
def register(draft: Registration, session: DbSession, now: Now, settings: AppSettings) -> SignedIn:
    """Create a local commenter account and sign it in."""
    account = accounts.register(
        session, email=draft.email, password=draft.password, name=draft.name, now=now
    )
    return _signed_in(session, account, now, settings)


@router.post("/login")
def login(draft: Credentials, session: DbSession, now: Now, settings: AppSettings) -> SignedIn:
    """Sign in with email and password."""
    account = accounts.authenticate(session, email=draft.email, password=draft.password)
    return _signed_in(session, account, now, settings)


@router.post("/sso")
def sso(draft: SsoLogin, session: DbSession, now: Now, settings: AppSettings) -> SignedIn:
    """Sign in with a JWT the host site signed for its signed-in user."""
    account = accounts.sign_in_with_sso(session, token=draft.token, now=now)
    return _signed_in(session, account, now, settings)


@router.get("/me")
def me(asking: Asking) -> AccountView:
    """Who the bearer token belongs to."""
    viewer = asking.required()
    return account_view(viewer)
