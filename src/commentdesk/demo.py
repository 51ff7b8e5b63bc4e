"""The demo newsroom: one site, one op-ed with its photo and caption, a few readers' comments and
a moderator. Seeding is idempotent: a second run reuses what the first one made."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from commentdesk.accounts import passwords
from commentdesk.accounts import service as accounts
from commentdesk.accounts.models import Account, Role
from commentdesk.comments.models import Comment
from commentdesk.moderation import intake
from commentdesk.moderation.models import SiteSettings
from commentdesk.sites import service as sites
from commentdesk.sites.models import Site, SiteOrigin
from commentdesk.stories.models import Story
from commentdesk.urls import canonical_origin

SITE_SLUG = "daily-ledger"
STORY_URL = "https://ledger.example/2026/11/opinion/keep-the-branch-libraries-open"
MODERATOR_EMAIL = "editor@ledger.example"

# Held for the desk: the demo site's suspect words catch it, so the editors have work waiting.
HELD_COMMENT = (
    3,
    "Anyone defending this plan is a liar or on the payroll. Follow the money.",
    None,
    10,
)
DEMO_SUSPECT_WORDS = ["liar*", "payroll", "scam*"]


@dataclass(frozen=True)
class Article:
    headline: str
    dateline: str
    byline: str
    paragraphs: list[str]
    photo_caption: str
    photo_credit: str
    attribution: str
    standfirst: str = ""
    section: str = "Opinion"


ARTICLE = Article(
    section="Opinion",
    headline="Closing the branch libraries would cost Riverton more than it saves",
    standfirst=(
        "The council wants to trim $1.2 million by shutting three neighbourhood branches. "
        "The people who use them most have the least room to absorb the loss."
    ),
    dateline="RIVERTON, Nov. 27",
    byline="By Marisol Okafor",
    paragraphs=[
        "On a weekday afternoon the Eastside branch of the Riverton Public Library is the busiest "
        "room on Harmon Street. Retirees read the papers by the window, a tutor works through "
        "fractions with two fourth-graders, and every one of the twelve public computers is taken, "
        "mostly by people filling in job applications and benefit forms that no longer exist on "
        "paper.",
        "Next month the city council will vote on a budget that closes Eastside, along with the "
        "Millbrook and Cannery Row branches, to save about $1.2 million a year. The central "
        "library downtown would stay open and extend its hours. On a spreadsheet the plan looks "
        "tidy: the three branches account for 18 percent of the system's costs and 14 percent of "
        "its checkouts.",
        "Checkouts are the wrong measure. The library's own survey last spring found that a "
        "third of visitors to the three branches came to use a computer or the internet, and "
        "that six in ten of them had no broadband at home. For those residents the downtown "
        "library is two bus transfers away, and the 12 route runs every 40 minutes after six.",
        "There are cheaper ways to close the gap. The council could share the Millbrook building "
        "with the parks department's after-school program, which now rents space two blocks away. "
        "It could end the contract for the unused self-checkout kiosks, which cost $140,000 a "
        "year. And it could ask the county, whose residents make up a quarter of branch visitors, "
        "to pay a fair share.",
        "Libraries are one of the few public places where nobody has to buy anything to stay. "
        "Before the council votes, its members should spend an afternoon on Harmon Street. "
        "They will find the branch is not a line on a spreadsheet. It is where the city's "
        "promise of equal footing is kept, one library card at a time.",
    ],
    photo_caption=(
        "Readers at the Eastside branch of the Riverton Public Library, one of three branches "
        "the city's proposed budget would close."
    ),
    photo_credit="Photo: Ledger staff",
    attribution=(
        "Marisol Okafor is a former school librarian and chairs the Friends of the Riverton "
        "Public Library. The views expressed are her own."
    ),
)

READERS = [
    ("harbourlight", "Harbour Light"),
    ("quietcartographer", "QuietCartographer"),
    ("millbrookmom", "MillbrookMom"),
    ("ledgerreader42", "LedgerReader42"),
]

# (reader index, body, index of the comment replied to or None, minutes before now)
CONVERSATION = [
    (
        0,
        "I use the Eastside computers twice a week to check job postings. The downtown branch "
        "is an hour each way for me on the 12. Closing it doesn't save money, it moves the "
        "cost onto people like me.",
        None,
        190,
    ),
    (
        1,
        "The kiosk contract is a fair point. Does anyone know if that **$140,000** figure "
        "includes maintenance, or just the lease?",
        None,
        150,
    ),
    (
        3,
        "It is in the budget appendix, page 31: lease and maintenance together. "
        "[Link to the city's budget PDF](https://ledger.example/budget-2027).",
        1,
        120,
    ),
    (
        2,
        "Our kids do their homework at Millbrook because we share one laptop at home. "
        "Sharing the building with the after-school program seems like an obvious win.",
        None,
        95,
    ),
    (0, "Agreed. The parks program is paying rent two blocks away for the same hours.", 3, 60),
    (
        1,
        "I'd like to see the county numbers. If a quarter of visitors live outside the city "
        "limits, a cost-sharing deal should be on the table before any closures.",
        None,
        25,
    ),
]


@dataclass
class DemoCredentials:
    moderator_email: str
    moderator_password: str
    site_slug: str
    api_key: str | None = None
    sso_secret: str | None = None


def seed(session: Session, *, serving_origins: list[str], now: datetime) -> DemoCredentials:
    """Create the demo site, story, readers, conversation and moderator, or reuse them. The
    moderator gets a fresh password each run, printed by the CLI."""
    site = session.scalars(select(Site).where(Site.slug == SITE_SLUG)).first()
    api_key = None
    if site is None:
        site, api_key = sites.create_site(
            session,
            name="The Daily Ledger",
            slug=SITE_SLUG,
            origins=["https://ledger.example", *serving_origins],
            now=now,
        )
        session.add(SiteSettings(site_id=site.id, moderation={"suspect_words": DEMO_SUSPECT_WORDS}))
    if not site.sso_secret:
        # A demo host page can sign its readers in through SSO with this (the CLI prints it).
        site.sso_secret = secrets.token_hex(32)
    known = set(site.allowed_origins)
    for origin in serving_origins:
        if canonical_origin(origin) not in known:
            site.origins.append(SiteOrigin(origin=canonical_origin(origin)))
    session.flush()
    story = _story(session, site=site, now=now)
    password = secrets.token_urlsafe(12)
    moderator = session.scalars(
        select(Account).where(Account.login_email == MODERATOR_EMAIL)
    ).first()
    if moderator is None:
        moderator = accounts.create_account(
            session,
            email=MODERATOR_EMAIL,
            password_hash=passwords.hash_password(password),
            name="Ledger Editors",
            role=Role.MODERATOR,
            now=now,
        )
    moderator.password_hash = passwords.hash_password(password)
    if story.comment_count == 0:
        _converse(session, story=story, now=now)
    session.flush()
    return DemoCredentials(MODERATOR_EMAIL, password, SITE_SLUG, api_key, site.sso_secret)


def _story(session: Session, *, site: Site, now: datetime) -> Story:
    story = session.scalars(select(Story).where(Story.url == STORY_URL)).first()
    if story is None:
        story = Story(
            site_id=site.id,
            url=STORY_URL,
            title=ARTICLE.headline,
            body_text="\n\n".join([ARTICLE.standfirst, *ARTICLE.paragraphs]),
            published_at=now - timedelta(hours=5),
            created_at=now,
            updated_at=now,
        )
        session.add(story)
        session.flush()
    return story


def _converse(session: Session, *, story: Story, now: datetime) -> None:
    readers = []
    for handle, name in READERS:
        email = f"{handle}@readers.example"
        reader = session.scalars(select(Account).where(Account.login_email == email)).first()
        if reader is None:
            reader = accounts.create_account(
                session,
                email=email,
                password_hash=None,
                name=name,
                role=Role.COMMENTER,
                now=now,
            )
        readers.append(reader)
    posted: list[Comment] = []
    for reader_index, body, parent_index, minutes_ago in [*CONVERSATION, HELD_COMMENT]:
        parent = posted[parent_index] if parent_index is not None else None
        comment = intake.post_comment(
            session,
            story=story,
            body=body,
            parent_id=parent.id if parent else None,
            author=readers[reader_index],
            now=now - timedelta(minutes=minutes_ago),
        )
        posted.append(comment)


def utc_now() -> datetime:
    return datetime.now(UTC)
