"""Reports reach the editors; decisions are audited; visibility is one rule everywhere."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from commentdesk.accounts import passwords
from commentdesk.accounts import service as accounts
from commentdesk.accounts.models import Role
from commentdesk.comments.models import Comment
from commentdesk.moderation.models import Flag, ModerationAction
from commentdesk.sites import service as sites
from tests.conftest import STORY_URL, Reader


@pytest.fixture
def moderator(client: TestClient, db: Session, now: datetime) -> Reader:
    accounts.create_account(
        db,
        email="desk@example.org",
        password_hash=passwords.hash_password("moderator pw!"),
        name="Desk",
        role=Role.MODERATOR,
        now=now,
    )
    db.commit()
    login = client.post(
        "/api/v1/auth/login", json={"email": "desk@example.org", "password": "moderator pw!"}
    ).json()
    return Reader(client, login["token"], login["account"])


def test_report_is_recorded_once_per_reader(make_reader: Any, db: Session, story: Any) -> None:
    author, reporter = make_reader(), make_reader()
    comment = author.post("Questionable").json()
    path = f"/api/v1/comments/{comment['id']}/reports"
    first = reporter.request("POST", path, json={"reason": "spam", "note": "Selling pills"})
    assert first.status_code == 201
    assert first.json()["reason"] == "spam"
    second = reporter.request("POST", path, json={"reason": "abusive"})
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "conflict"
    flags = db.scalars(select(Flag).where(Flag.comment_id == comment["id"])).all()
    assert [(flag.reason, flag.note, flag.status) for flag in flags] == [
        ("spam", "Selling pills", "open")
    ]
    me = reporter.request("GET", "/api/v1/threads/me", params={"url": STORY_URL}).json()
    assert me["reported"] == [comment["id"]]


@pytest.mark.parametrize(
    "payload", [{"reason": "boring"}, {"reason": "spam", "note": "n" * 501}, {}]
)
def test_invalid_reports_are_rejected(
    make_reader: Any, story: Any, payload: dict[str, str]
) -> None:
    comment = make_reader().post("Fine").json()
    response = make_reader().request(
        "POST", f"/api/v1/comments/{comment['id']}/reports", json=payload
    )
    assert response.status_code == 422


def test_reported_comment_reaches_the_moderators_queue(
    make_reader: Any, moderator: Reader, story: Any
) -> None:
    author, reporter = make_reader(), make_reader()
    comment = author.post("Nobody here read the budget.").json()
    reporter.request(
        "POST", f"/api/v1/comments/{comment['id']}/reports", json={"reason": "abusive"}
    )
    queue = moderator.request("GET", "/api/v1/moderation/queues/reported").json()
    assert queue["count"] == 1
    item = queue["items"][0]
    assert item["comment"]["id"] == comment["id"]
    assert item["reports"][0]["reason"] == "abusive"
    assert item["story_url"] == STORY_URL


def test_rejected_comment_is_invisible_to_others_and_explained_to_its_author(
    make_reader: Any, moderator: Reader, client: TestClient, db: Session, story: Any
) -> None:
    author, reporter, bystander = make_reader(), make_reader(), make_reader()
    comment = author.post("Nobody here read the budget.").json()
    reporter.request(
        "POST", f"/api/v1/comments/{comment['id']}/reports", json={"reason": "abusive"}
    )
    decision = moderator.request(
        "POST",
        f"/api/v1/moderation/comments/{comment['id']}/decision",
        json={"action": "reject", "reason": "abusive"},
    )
    assert decision.status_code == 200
    assert decision.json()["status"] == "rejected"
    thread = client.get("/api/v1/threads", params={"url": STORY_URL}).json()
    assert thread["comments"] == [] and thread["story"]["comment_count"] == 0
    assert bystander.request("GET", f"/api/v1/comments/{comment['id']}").status_code == 404
    assert client.get(f"/api/v1/comments/{comment['id']}").status_code == 404
    mine = author.request("GET", "/api/v1/threads/me", params={"url": STORY_URL}).json()
    assert mine["comments"][0]["status"] == "rejected"
    assert "abuse" in mine["comments"][0]["reason"]
    assert moderator.request("GET", f"/api/v1/comments/{comment['id']}").status_code == 200
    audit = db.scalars(
        select(ModerationAction)
        .where(ModerationAction.comment_id == comment["id"])
        .order_by(ModerationAction.id)
    ).all()
    assert [(row.action, row.from_status, row.to_status) for row in audit] == [
        ("posted", None, "approved"),
        ("reject", "approved", "rejected"),
    ]
    assert audit[1].actor_id == moderator.account["id"]
    assert db.scalars(select(Flag.status).where(Flag.comment_id == comment["id"])).all() == [
        "upheld"
    ]


def test_commenters_cannot_reach_moderation_routes(make_reader: Any, story: Any) -> None:
    author, other = make_reader(), make_reader()
    comment = author.post("Fine").json()
    for method, path, payload in (
        ("GET", "/api/v1/moderation/queues/reported", None),
        ("GET", "/api/v1/moderation/queues/pending", None),
        ("POST", f"/api/v1/moderation/comments/{comment['id']}/decision", {"action": "reject"}),
    ):
        response = other.request(method, path, json=payload)
        assert response.status_code == 403, path
        assert response.json()["error"]["code"] == "permission_denied"


def test_moderator_approves_a_pending_comment(
    make_reader: Any, moderator: Reader, client: TestClient, site_with_key: Any, story: Any
) -> None:
    _, api_key = site_with_key
    client.put(
        "/api/v1/stories",
        json={"url": STORY_URL, "title": "B", "is_premoderated": True},
        headers={"X-API-Key": api_key},
    )
    comment = make_reader().post("Held for review").json()
    queue = moderator.request("GET", "/api/v1/moderation/queues/pending").json()
    assert [item["comment"]["id"] for item in queue["items"]] == [comment["id"]]
    moderator.request(
        "POST", f"/api/v1/moderation/comments/{comment['id']}/decision", json={"action": "approve"}
    )
    thread = client.get("/api/v1/threads", params={"url": STORY_URL}).json()
    assert [c["id"] for c in thread["comments"]] == [comment["id"]]
    assert thread["story"]["comment_count"] == 1


def test_a_moderator_assigned_to_one_site_cannot_act_on_another(
    make_reader: Any,
    client: TestClient,
    db: Session,
    now: datetime,
    story: Any,
    site_with_key: Any,
) -> None:
    other_site, _ = sites.create_site(
        db, name="Other News", slug="other-news", origins=["https://other.example"], now=now
    )
    local = accounts.create_account(
        db,
        email="local@example.org",
        password_hash=passwords.hash_password("local pw!!"),
        name="Local desk",
        role=Role.MODERATOR,
        now=now,
    )
    accounts.assign_sites(db, account=local, site_ids=[other_site.id])
    db.commit()
    token = client.post(
        "/api/v1/auth/login", json={"email": "local@example.org", "password": "local pw!!"}
    ).json()
    desk = Reader(client, token["token"], token["account"])
    author, reporter = make_reader(), make_reader()
    comment = author.post("On the first site").json()
    reporter.request("POST", f"/api/v1/comments/{comment['id']}/reports", json={"reason": "spam"})
    decision = desk.request(
        "POST",
        f"/api/v1/moderation/comments/{comment['id']}/decision",
        json={"action": "reject", "reason": "spam"},
    )
    assert decision.status_code == 403
    assert decision.json()["error"]["code"] == "permission_denied"
    assert desk.request("GET", "/api/v1/moderation/queues/reported").json()["count"] == 0
    settings = desk.request("GET", f"/api/v1/moderation/sites/{site_with_key[0].id}/settings")
    assert settings.status_code == 403
    own_settings = desk.request("GET", f"/api/v1/moderation/sites/{other_site.id}/settings")
    assert own_settings.status_code == 200
    held = author.post("Another one")
    db.execute(update(Comment).where(Comment.id == held.json()["id"]).values(status="pending"))
    db.commit()
    assert desk.request("GET", f"/api/v1/comments/{held.json()['id']}").status_code == 404
