"""Opaque bearer tokens: random, shown once, stored only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from commentdesk.accounts.models import AccessToken, Account


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue(session: Session, *, account: Account, now: datetime, ttl_seconds: int) -> str:
    """A new token for `account`, valid for `ttl_seconds`."""
    token = secrets.token_urlsafe(32)
    session.add(
        AccessToken(
            account_id=account.id,
            token_hash=digest(token),
            created_at=now,
            expires_at=now + timedelta(seconds=ttl_seconds),
        )
    )
    session.flush()
    return token


def find_account(session: Session, *, token: str, now: datetime) -> Account | None:
    """The account a live token belongs to, or None."""
    return session.scalars(
        select(Account)
        .join(AccessToken, AccessToken.account_id == Account.id)
        .where(AccessToken.token_hash == digest(token), AccessToken.expires_at > now)
    ).first()


def revoke(session: Session, *, token: str) -> None:
    access = session.scalars(select(AccessToken).where(AccessToken.token_hash == digest(token)))
    for row in access:
        session.delete(row)
    session.flush()
