"""Editor's-pick suggestions on the desk, and how the desk draws "high is good" scores: the
constructiveness scores come through the real posting path from a stand-in scorer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session, sessionmaker

from commentdesk.accounts import service as accounts
from commentdesk.accounts.models import Account, Role
from commentdesk.comments.models import Comment
from commentdesk.moderation import picks
from commentdesk.moderation.models import ModerationAction
from commentdesk.sites import service as sites
from commentdesk.sites.models import Site
from tests.conftest import STORY_URL
from tests.web.test_best_sort import MarkedConstructiveness, posted
from tests.web.test_desk import Desk, desk_for, make_staff
from tests.web.test_scorers import Rudeness, client_with, reader_on

PICK = re.compile(r'data-pick="(\d+)"')


@pytest.fixture
def scored_client(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path, site: Site
) -> Iterator[TestClient]:
    scorers = (MarkedConstructiveness(), Rudeness())
    for client in client_with(engine, session_factory, tmp_path, *scorers):
        story = client.get("/api/v1/threads", params={"url": STORY_URL, "title": "Budget"})
        assert story.status_code == 200, story.text
        yield client


@pytest.fixture
def desk(scored_client: TestClient, db: Session, now: datetime) -> Desk:
    make_staff(db, now, Role.MODERATOR, "picks@example.org")
    return desk_for(scored_client, "picks@example.org")


def suggested(desk: Desk, site: Site) -> list[int]:
    page = desk.get(f"/desk/sites/{site.id}/picks")
    assert page.status_code == 200, page.text
    return [int(found) for found in PICK.findall(page.text)]


def test_the_weeks_most_constructive_unfeatured_comments_are_suggested_best_first(
    scored_client: TestClient, desk: Desk, db: Session, site: Site, now: datetime
) -> None:
    author = reader_on(scored_client, 1)
    good = posted(author, "The audit's figures show a 4% shortfall [0.65]")
    best = posted(author, "Here is the council report itself, page 12 [0.9]")
    posted(author, "Could be better [0.5]")  # below the 0.6 floor
    posted(author, "A strong reply [0.95]", parent_id=good)  # replies are not picked
    posted(author, "Nothing marked")  # no constructiveness score
    old = posted(author, "A strong comment from last month [0.8]")
    db.execute(update(Comment).where(Comment.id == old).values(created_at=now - timedelta(days=8)))
    db.commit()
    edited = posted(author, "Detailed first draft [0.85]")
    # The edit is not scored yet here: the suggestion follows the text readers see now.
    assert author.request("PATCH", f"/api/v1/comments/{edited}", json={"body": "Meh"}).is_success
    rejected = posted(author, "Sourced but off the rails [0.99]")
    assert desk.post(f"/desk/comments/{rejected}/decision", {"action": "reject"}).is_success

    assert suggested(desk, site) == [best, good]
    page = desk.get(f"/desk/sites/{site.id}/picks").text
    assert "marked 0.9" in page and "Budget" in page
    assert "Here is the council report itself, page 12 [0.9]" in page
    assert 'aria-label="constructiveness 90%: high, good (higher is better)"' in page


def test_featuring_a_suggestion_is_audited_and_removes_it(
    scored_client: TestClient, desk: Desk, db: Session, site: Site
) -> None:
    author = reader_on(scored_client, 2)
    first = posted(author, "A figure and a source [0.8]")
    second = posted(author, "A question for the council [0.7]")
    featured = desk.post(
        f"/desk/comments/{first}/decision",
        {"action": "feature", "next": f"/desk/sites/{site.id}/picks"},
        as_json=False,
    )
    assert featured.status_code == 303
    assert featured.headers["location"] == f"/desk/sites/{site.id}/picks"
    assert suggested(desk, site) == [second]
    moderator = db.scalars(select(Account).where(Account.email == "picks@example.org")).one()
    audit = db.execute(
        select(ModerationAction.action, ModerationAction.actor_id).where(
            ModerationAction.comment_id == first
        )
    ).all()
    assert ("feature", moderator.id) in [tuple(row) for row in audit]
    thread = scored_client.get("/api/v1/threads", params={"url": STORY_URL}).json()
    assert [comment["id"] for comment in thread["featured"]] == [first]


def test_the_assistant_page_links_to_the_suggestions_and_an_empty_week_says_so(
    desk: Desk, site: Site
) -> None:
    assistant = desk.get(f"/desk/sites/{site.id}/assistant").text
    assert f'href="/desk/sites/{site.id}/picks"' in assistant
    page = desk.get(f"/desk/sites/{site.id}/picks")
    assert page.status_code == 200 and 'data-testid="no-picks"' in page.text


def test_a_moderator_of_another_site_cannot_see_the_suggestions(
    scored_client: TestClient, db: Session, site: Site, now: datetime
) -> None:
    posted(reader_on(scored_client, 3), "Worth featuring [0.9]")
    other, _ = sites.create_site(
        db, name="Other News", slug="other-news", origins=["https://other.example"], now=now
    )
    elsewhere = make_staff(db, now, Role.MODERATOR, "elsewhere@example.org")
    accounts.assign_sites(db, account=elsewhere, site_ids=[other.id])
    db.commit()
    desk = desk_for(scored_client, "elsewhere@example.org")
    refused = desk.get(f"/desk/sites/{site.id}/picks")
    assert refused.status_code == 403
    assert "Worth featuring" not in refused.text
    assert desk.get(f"/desk/sites/{other.id}/picks").status_code == 200


def test_relevance_and_constructiveness_bars_warn_when_low_and_toxicity_when_high(
    scored_client: TestClient, desk: Desk
) -> None:
    author = reader_on(scored_client, 4)
    poor = posted(author, "A silly aside [0.3]")
    fine = posted(author, "A careful point [0.9]")
    poor_page = desk.get(f"/desk/comments/{poor}").text
    assert 'aria-label="constructiveness 30%: low, a warning (higher is better)"' in poor_page
    assert 'aria-label="toxicity 60%: high, a warning (higher is worse)"' in poor_page
    fine_page = desk.get(f"/desk/comments/{fine}").text
    assert 'aria-label="constructiveness 90%: high, good (higher is better)"' in fine_page
    assert 'aria-label="toxicity 10%: low, good (higher is worse)"' in fine_page
    assert fine_page.count('data-warning="true"') == 0
    assert poor_page.count('data-warning="true"') == 2


def test_an_excerpt_is_one_line_cut_at_a_word() -> None:
    assert picks.excerpt("Short\n\nand  sweet") == "Short and sweet"
    cut = picks.excerpt("word " * 100, limit=22)
    assert cut == "word word word word…"
