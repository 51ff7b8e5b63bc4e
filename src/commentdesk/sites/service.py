"""Site use cases: create a site with its origins and API key, find one by key or by origin."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from commentdesk import events
from commentdesk.db.rows import add_if_new
from commentdesk.errors import Conflict, InvalidInput, NotFound
from commentdesk.sites.models import Site, SiteOrigin
from commentdesk.urls import canonical_origin

API_KEY_PREFIX = "cdk_"


def hash_api_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode("utf-8", "surrogatepass")).hexdigest()


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:64] or "site"


def create_site(
    session: Session,
    *,
    name: str,
    origins: list[str],
    now: datetime,
    slug: str | None = None,
    is_premoderated: bool = False,
    sso_secret: str | None = None,
    sso_public_key: str | None = None,
) -> tuple[Site, str]:
    """A new site and its CMS API key (returned once; only its digest is stored)."""
    if not origins:
        raise InvalidInput("A site needs at least one allowed origin.")
    api_key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    site = Site(
        slug=slug or slugify(name),
        name=name,
        is_premoderated=is_premoderated,
        api_key_hash=hash_api_key(api_key),
        sso_secret=sso_secret,
        sso_public_key=sso_public_key,
        created_at=now,
        origins=[SiteOrigin(origin=canonical_origin(origin)) for origin in sorted(set(origins))],
    )
    if not add_if_new(session, site):
        raise Conflict("A site with this slug or one of these origins already exists.")
    events.record(session, events.SiteWasChanged(site_id=site.id))
    return site, api_key


def get_site(session: Session, *, site_id: int) -> Site:
    site = session.get(Site, site_id)
    if site is None:
        raise NotFound("No such site.", details={"site_id": site_id})
    return site


def get_by_api_key(session: Session, *, api_key: str) -> Site:
    site = session.scalars(select(Site).where(Site.api_key_hash == hash_api_key(api_key))).first()
    if site is None:
        raise NotFound("No site has this API key.")
    return site


def find_by_origin(session: Session, *, origin: str) -> Site | None:
    return session.scalars(select(Site).join(SiteOrigin).where(SiteOrigin.origin == origin)).first()


def find_by_slug(session: Session, *, slug: str) -> Site | None:
    return session.scalars(select(Site).where(Site.slug == slug)).first()


def list_origins(session: Session) -> frozenset[str]:
    """Every origin any site allows (for CORS)."""
    return frozenset(session.scalars(select(SiteOrigin.origin)))
