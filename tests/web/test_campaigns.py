"""Campaigns through the API and the desk: near-identical comments by different readers on one
story show as one campaign, which a moderator decides in one audited request."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from commentdesk.accounts import service as accounts
from commentdesk.accounts.models import Account, Role
from commentdesk.comments.models import Comment
from commentdesk.moderation.models import ModerationAction
from commentdesk.sites import service as sites
from commentdesk.sites.models import Site
from tests.conftest import Reader
from tests.web.test_desk import Desk, desk_for, make_staff
from tests.web.test_pipeline import sign_in_as

PITCH = [
    "Tired of high energy bills? I cut mine in half with SolarMax panels, see solarmax.example!",
    "Tired of huge energy bills? I cut mine in half with SolarMax panels, see solarmax.example!",
    "tired of high power bills?? i cut mine in half with SolarMax panels - see solarmax.example",
]
ON_TOPIC = [
    "The council's budget cuts to the library are short-sighted; energy bills are the problem.",
    "I think the budget is fine, but the council should publish the energy bills it pays.",
]


@pytest.fixture(autouse=True)
def without_scorers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Campaigns read only the comments: no model runs, and none is late and holds a post."""
    monkeypatch.setenv("COMMENTDESK_BUILTIN_SCORERS", "false")


@pytest.fixture
def moderator(client: TestClient, db: Session, now: datetime) -> Reader:
    return sign_in_as(client, db, now, Role.MODERATOR)


def post_campaign(make_reader: Any) -> list[int]:
    """Two readers on topic, then three post the same pitch with small changes."""
    for body in ON_TOPIC:
        assert make_reader().post(body).status_code == 201
    ids = []
    for body in PITCH:
        response = make_reader().post(body)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


def campaigns_of(asking: Reader, site: Site) -> Any:
    return asking.request("GET", "/api/v1/moderation/campaigns", params={"site_id": site.id})


def test_three_readers_posting_one_pitch_are_one_campaign_rejected_in_one_request(
    make_reader: Any, moderator: Reader, db: Session, site: Site, story: dict[str, Any]
) -> None:
    pitch_ids = post_campaign(make_reader)
    response = campaigns_of(moderator, site)
    assert response.status_code == 200, response.text
    found = response.json()
    assert found["min_accounts"] == 3
    assert found["scanned"] == 5
    [campaign] = found["campaigns"]
    assert [member["comment_id"] for member in campaign["members"]] == pitch_ids
    assert campaign["account_count"] == 3
    assert campaign["story_id"] == story["id"]
    assert campaign["text"] == PITCH[0]
    assert {member["status"] for member in campaign["members"]} == {"approved"}
    assert campaign["members"][0]["author_name"].startswith("Reader ")

    decided = moderator.request(
        "POST",
        "/api/v1/moderation/decisions",
        json={"comment_ids": pitch_ids, "action": "reject", "reason": "spam"},
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["decided"] == pitch_ids
    batch_id = decided.json()["batch_id"]
    audit = db.execute(
        select(
            ModerationAction.comment_id, ModerationAction.to_status, ModerationAction.reason_code
        )
        .where(ModerationAction.batch_id == batch_id)
        .order_by(ModerationAction.comment_id)
    ).all()
    assert [tuple(row) for row in audit] == [
        (comment_id, "rejected", "spam") for comment_id in pitch_ids
    ]
    [after] = campaigns_of(moderator, site).json()["campaigns"]
    assert {member["status"] for member in after["members"]} == {"rejected"}


def test_comments_posted_before_the_window_are_no_campaign(
    make_reader: Any, moderator: Reader, db: Session, now: datetime, site: Site, story: Any
) -> None:
    pitch_ids = post_campaign(make_reader)
    db.execute(
        update(Comment)
        .where(Comment.id.in_(pitch_ids))
        .values(created_at=now - timedelta(hours=25))
    )
    db.commit()
    found = campaigns_of(moderator, site).json()
    assert found["window_seconds"] == 24 * 3600
    assert found["campaigns"] == []


def test_one_readers_repeats_are_no_campaign(
    make_reader: Any, moderator: Reader, site: Site, story: Any
) -> None:
    persistent = make_reader()
    for body in PITCH:
        assert persistent.post(body).status_code == 201
    assert campaigns_of(moderator, site).json()["campaigns"] == []


def test_readers_and_other_sites_moderators_cannot_see_campaigns(
    make_reader: Any, client: TestClient, db: Session, now: datetime, site: Site, story: Any
) -> None:
    post_campaign(make_reader)
    reader = make_reader()
    refused = campaigns_of(reader, site)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    other, _ = sites.create_site(
        db, name="Other News", slug="other-news", origins=["https://other.example"], now=now
    )
    elsewhere = sign_in_as(client, db, now, Role.MODERATOR)
    accounts.assign_sites(
        db, account=db.get_one(Account, elsewhere.account["id"]), site_ids=[other.id]
    )
    db.commit()
    assert campaigns_of(elsewhere, site).json()["error"]["code"] == "permission_denied"
    assert campaigns_of(elsewhere, other).json()["campaigns"] == []
    unknown = elsewhere.request("GET", "/api/v1/moderation/campaigns", params={"site_id": 99_999})
    assert unknown.status_code == 404
    assert client.get("/api/v1/moderation/campaigns").status_code in (401, 422)


@pytest.fixture
def desk(client: TestClient, db: Session, now: datetime, site: Site) -> Desk:
    make_staff(db, now, Role.MODERATOR, "mod@example.org")
    return desk_for(client, "mod@example.org")


def test_desk_campaigns_page_rejects_a_whole_campaign_from_its_card(
    desk: Desk, make_reader: Any, db: Session, site: Site, story: Any
) -> None:
    pitch_ids = post_campaign(make_reader)
    campaigns_path = f"/desk/sites/{site.id}/campaigns"
    page = desk.get(campaigns_path)
    assert page.status_code == 200, page.text
    assert f'href="{campaigns_path}"' in page.text
    assert "3 accounts on" in page.text
    assert "within 24 hours of each other" in page.text
    assert "Tired of high energy bills?" in page.text
    assert 'value="reject">Reject all' in page.text
    for comment_id in pitch_ids:
        assert f'name="comment_ids" value="{comment_id}"' in page.text

    marked = desk.get(f"/desk/comments/{pitch_ids[1]}")
    assert "Part of a campaign of 3 accounts" in marked.text

    decided = desk.post(
        "/desk/decisions",
        {"comment_ids": pitch_ids, "action": "reject", "reason": "spam", "next": campaigns_path},
        as_json=False,
    )
    assert decided.status_code == 303, decided.text
    assert decided.headers["location"] == campaigns_path
    db.expire_all()
    statuses = db.scalars(select(Comment.status).where(Comment.id.in_(pitch_ids))).all()
    assert statuses == ["rejected"] * 3
    batches = db.scalars(
        select(ModerationAction.batch_id).where(
            ModerationAction.comment_id.in_(pitch_ids), ModerationAction.action == "reject"
        )
    ).all()
    assert len(batches) == 3
    assert len(set(batches)) == 1


def test_desk_comment_page_does_not_mark_an_ordinary_comment(
    desk: Desk, make_reader: Any, story: Any
) -> None:
    comment = make_reader().post(ON_TOPIC[0]).json()
    page = desk.get(f"/desk/comments/{comment['id']}")
    assert page.status_code == 200
    assert "Part of a campaign" not in page.text
