"""The built-in moderation assistant through the API: every comment is scored on posting, the
scores stay with the comment's revision, a toxic comment is held at the site's threshold with
the reason shown to moderators, and the desk draws the scores."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from commentdesk.accounts.models import Role
from commentdesk.moderation.models import SiteSettings
from commentdesk.sites.models import Site
from tests.web.test_desk import desk_for, make_staff
from tests.web.test_pipeline import sign_in_as

ABUSE = "You are a pathetic idiot and a moron, shut up."
CIVIL = "Thanks for covering the library budget; the weekend hours matter most to me."


def hold_toxic_comments(db: Session, site: Site) -> None:
    row = db.get(SiteSettings, site.id)
    assert row is not None
    row.moderation = {
        **row.moderation,
        "score_thresholds": {"toxicity": {"hold": 0.8}, "threat": {"hold": 0.7}},
    }
    site.settings_version += 1
    db.commit()


def test_a_toxic_comment_is_held_with_its_reasons_and_a_civil_one_published(
    make_reader: Any, client: TestClient, db: Session, now: datetime, site: Site, story: Any
) -> None:
    hold_toxic_comments(db, site)
    author = make_reader()
    civil = author.post(CIVIL).json()
    assert civil["status"] == "approved"
    held = author.post(ABUSE).json()
    assert held["status"] == "pending"
    assert held["reason"] == "Your comment may break our policy; a moderator will look at it."

    moderator = sign_in_as(client, db, now, Role.MODERATOR)
    record = moderator.request("GET", f"/api/v1/moderation/comments/{held['id']}").json()
    scores = {score["name"]: score for score in record["scores"]}
    assert set(scores) == {
        "toxicity",
        "severe_toxicity",
        "obscenity",
        "threat",
        "insult",
        "identity_attack",
    }
    assert scores["toxicity"]["value"] >= 0.8
    assert "idiot" in scores["toxicity"]["explanation"]
    reasons = record["item"]["reasons"]
    assert reasons[0]["code"] == "toxicity" and "idiot" in reasons[0]["message"]
    queue = moderator.request("GET", "/api/v1/moderation/queues/pending").json()
    assert held["id"] in [item["comment"]["id"] for item in queue["items"]]
    calm = moderator.request("GET", f"/api/v1/moderation/comments/{civil['id']}").json()
    assert max(score["value"] for score in calm["scores"]) < 0.5


def test_the_desk_draws_the_assistants_scores(
    make_reader: Any, client: TestClient, db: Session, now: datetime, site: Site, story: Any
) -> None:
    comment = make_reader().post(ABUSE).json()
    make_staff(db, now, Role.MODERATOR, "desk-scores@example.org")
    page = desk_for(client, "desk-scores@example.org").get(f"/desk/comments/{comment['id']}")
    assert page.status_code == 200
    assert "The assistant&#39;s reading" in page.text or "The assistant's reading" in page.text
    assert 'aria-label="toxicity ' in page.text and "Likely toxic" in page.text


def test_the_desk_charts_the_sites_score_distributions(
    make_reader: Any, client: TestClient, db: Session, now: datetime, site: Site, story: Any
) -> None:
    make_staff(db, now, Role.MODERATOR, "desk-charts@example.org")
    desk = desk_for(client, "desk-charts@example.org")
    empty = desk.get(f"/desk/sites/{site.id}/assistant")
    assert empty.status_code == 200 and 'data-testid="no-scores"' in empty.text
    reader = make_reader()
    for text in (CIVIL, ABUSE, "The parking figures look low to me."):
        assert reader.post(text).status_code == 201
    page = desk.get(f"/desk/sites/{site.id}/assistant").text
    assert 'data-testid="histogram-toxicity"' in page and "(3 scores)" in page
    # The chart's text alternative gives every bin's count: two low, one high.
    label = page.split('data-testid="histogram-toxicity"')[1].split('aria-label="')[1].split('"')[0]
    counts = [int(part.rsplit(": ", 1)[1]) for part in label.split(": ", 1)[1].split("; ")]
    assert sum(counts) == 3 and sum(counts[:5]) == 2 and sum(counts[8:]) == 1
