"""Account use cases: register, sign in with a password or the publisher's SSO, create staff."""

from __future__ import annotations

from datetime import datetime

import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session

from commentdesk.accounts import passwords, tokens
from commentdesk.accounts.models import Account, AccountStatus, ModeratorSite, Role
from commentdesk.db.rows import add_if_new
from commentdesk.errors import Conflict, InvalidInput, PermissionDenied, Unauthenticated
from commentdesk.sites.models import Site

SSO_AUDIENCE = "commentdesk"
SSO_LEEWAY_SECONDS = 30


def register(
    session: Session, *, email: str, password_hash: str, name: str, now: datetime
) -> Account:
    """A new local commenter account. Raises Conflict when the email is taken. The password is
    hashed beforehand (passwords.hash_password), outside any transaction: Argon2 is slow."""
    return create_account(
        session,
        email=email,
        password_hash=password_hash,
        name=name,
        role=Role.COMMENTER,
        now=now,
    )


def create_account(
    session: Session,
    *,
    email: str,
    password_hash: str | None,
    name: str,
    role: Role,
    now: datetime,
) -> Account:
    """A local account with any role (the CLI creates staff and moderators this way)."""
    account = Account(
        display_name=name,
        login_email=email.lower(),
        email=email.lower(),
        password_hash=password_hash,
        role=role,
        status=AccountStatus.ACTIVE,
        created_at=now,
    )
    if not add_if_new(session, account):
        raise Conflict("An account with this email already exists.")
    return account


def assign_sites(session: Session, *, account: Account, site_ids: list[int]) -> None:
    """Limit a moderator to these sites (an empty list: every site)."""
    if account.role != Role.MODERATOR and site_ids:
        raise InvalidInput("Only moderators are assigned to sites; admins moderate every site.")
    account.moderated_sites = [
        ModeratorSite(account_id=account.id, site_id=site_id) for site_id in sorted(set(site_ids))
    ]
    session.flush()


def authenticate(session: Session, *, email: str, password: str) -> Account:
    """The account with these credentials; Unauthenticated otherwise (same message either way).
    Only reads: run it with a read session, not inside a write (Argon2 takes tens of ms)."""
    account = session.scalars(select(Account).where(Account.login_email == email.lower())).first()
    if account is None or not passwords.verify_password(account.password_hash, password):
        if account is None:
            passwords.verify_password(None, password)
        raise Unauthenticated("The email or password is wrong.")
    _require_not_banned(account)
    return account


def sign_in_with_sso(session: Session, *, token: str, now: datetime) -> Account:
    """Verify a JWT signed by a site (HS256 with its SSO secret, or RS256 with its public key)
    and return the matching account, creating or updating it from the claims."""
    site = _sso_site(session, token)
    keys: list[tuple[str, str]] = []
    if site.sso_secret:
        keys.append(("HS256", site.sso_secret))
    if site.sso_public_key:
        keys.append(("RS256", site.sso_public_key))
    claims = None
    for algorithm, key in keys:
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=SSO_AUDIENCE,
                issuer=site.slug,
                leeway=SSO_LEEWAY_SECONDS,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
            break
        except jwt.InvalidAlgorithmError:
            continue
        except jwt.PyJWTError as error:
            raise Unauthenticated(f"The sign-in token was refused: {error}.") from error
    if claims is None:
        raise Unauthenticated("The sign-in token is not signed the way this site expects.")
    return _upsert_sso_account(session, site=site, claims=claims, now=now)


def _sso_site(session: Session, token: str) -> Site:
    try:
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as error:
        raise Unauthenticated("The sign-in token is not a valid JWT.") from error
    issuer = unverified.get("iss")
    site = None
    if isinstance(issuer, str):
        site = session.scalars(select(Site).where(Site.slug == issuer)).first()
    if site is None or not (site.sso_secret or site.sso_public_key):
        raise Unauthenticated("The sign-in token names no site that accepts single sign-on.")
    return site


def _upsert_sso_account(
    session: Session, *, site: Site, claims: dict[str, object], now: datetime
) -> Account:
    external_id = str(claims["sub"])[:200]
    name = str(claims.get("name") or "Reader").strip()[:80] or "Reader"
    email = claims.get("email")
    account = session.scalars(
        select(Account).where(Account.site_id == site.id, Account.external_id == external_id)
    ).first()
    if account is None:
        account = Account(
            site_id=site.id,
            external_id=external_id,
            role=Role.COMMENTER,
            status=AccountStatus.ACTIVE,
            created_at=now,
            display_name=name,
        )
        session.add(account)
    account.display_name = name
    account.email = str(email)[:320].lower() if isinstance(email, str) else None
    session.flush()
    _require_not_banned(account)
    return account


def _require_not_banned(account: Account) -> None:
    if account.status == AccountStatus.BANNED:
        raise PermissionDenied("This account is banned.")


def issue_token(session: Session, *, account: Account, now: datetime, ttl_seconds: int) -> str:
    return tokens.issue(session, account=account, now=now, ttl_seconds=ttl_seconds)


def find_by_token(session: Session, *, token: str, now: datetime) -> Account | None:
    return tokens.find_account(session, token=token, now=now)


def revoke_token(session: Session, *, token: str) -> None:
    tokens.revoke(session, token=token)
