"""Opaque bearer tokens: random, shown once, stored only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from commentdesk.accounts.models import AccessToken, Account
from commentdesk.db.memo import Memo, memo, pin


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
    """The account a live token belongs to, or None. The account row is always read afresh (its
    role and status may change); only which account a token names is memoised."""
    key = digest(token)
    tokens = memo(session, "tokens")
    known: tuple[int, datetime] | None = tokens.get(key) if tokens else None
    if known is None:
        row = session.execute(
            select(AccessToken.account_id, AccessToken.expires_at).where(
                AccessToken.token_hash == key
            )
        ).first()
        if row is None:
            return None
        known = (row.account_id, row.expires_at)
        if tokens:
            tokens.put(key, known)
    account_id, expires_at = known
    if expires_at <= now:
        return None
    account = session.get(Account, account_id)
    if account is not None:
        pin(session, account)
    return account


def remembered_account_id(tokens: Memo | None, *, token: str, now: datetime) -> int | None:
    """The id of the account a token names, if this process has seen the token live within the
    memo's minute and it has not expired; None when that is not known without a query."""
    known: tuple[int, datetime] | None = tokens.get(digest(token)) if tokens else None
    if known is None or known[1] <= now:
        return None
    return known[0]


def revoke(session: Session, *, token: str) -> None:
    """End a token now. Other processes may honour it until their memo entry expires (60 s)."""
    key = digest(token)
    session.execute(delete(AccessToken).where(AccessToken.token_hash == key))
    tokens = memo(session, "tokens")
    if tokens:
        tokens.discard(key)
