"""Sign-up and sign-in for readers: local accounts and the publisher's SSO."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from commentdesk.accounts import passwords
from commentdesk.accounts import service as accounts
from commentdesk.accounts.models import Account
from commentdesk.accounts.schemas import (
    AccountView,
    Credentials,
    Registration,
    SignedIn,
    SsoLogin,
)
from commentdesk.web.deps import AppSettings, Asking, Now, read, write

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


def account_view(account: Account) -> AccountView:
    return AccountView(id=account.id, name=account.display_name, role=account.role)


def _signed_in(session: Session, account: Account, now: Now, settings: AppSettings) -> SignedIn:
    token = accounts.issue_token(
        session, account=account, now=now, ttl_seconds=settings.token_ttl_seconds
    )
    return SignedIn(token=token, account=account_view(account))


@router.post("/register", status_code=201)
async def register(
    draft: Registration, request: Request, now: Now, settings: AppSettings
) -> SignedIn:
    """Create a local commenter account and sign it in."""
    password_hash = await run_in_threadpool(passwords.hash_password, draft.password)

    def work(session: Session) -> SignedIn:
        account = accounts.register(
            session, email=draft.email, password_hash=password_hash, name=draft.name, now=now
        )
        return _signed_in(session, account, now, settings)

    return await write(request, work)


@router.post("/login")
async def login(draft: Credentials, request: Request, now: Now, settings: AppSettings) -> SignedIn:
    """Sign in with email and password."""

    def check(session: Session) -> int:
        return accounts.authenticate(session, email=draft.email, password=draft.password).id

    account_id = await read(request, check)

    def work(session: Session) -> SignedIn:
        return _signed_in(session, session.get_one(Account, account_id), now, settings)

    return await write(request, work)


@router.post("/sso")
async def sso(draft: SsoLogin, request: Request, now: Now, settings: AppSettings) -> SignedIn:
    """Sign in with a JWT the host site signed for its signed-in user."""

    def work(session: Session) -> SignedIn:
        account = accounts.sign_in_with_sso(session, token=draft.token, now=now)
        return _signed_in(session, account, now, settings)

    return await write(request, work)


@router.get("/me")
async def me(request: Request, asking: Asking) -> AccountView:
    """Who the bearer token belongs to."""
    return await read(request, lambda session: account_view(asking.required(session)))
