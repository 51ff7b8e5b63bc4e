"""Moderators act on accounts (ban, suspend, reinstate, pre-moderate, warn, note), see an
account's record, and browse the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from commentdesk.accounts import service as accounts
from commentdesk.accounts.models import Account, Role
from commentdesk.sites import service as sites
from tests.conftest import Reader
from tests.web.test_pipeline import sign_in_as


@pytest.fixture
def moderator(client: TestClient, db: Session, now: datetime) -> Reader:
    return sign_in_as(client, db, now, Role.MODERATOR)


def act(desk: Reader, account_id: int, **draft: Any) -> Any:
    return desk.request("POST", f"/api/v1/moderation/accounts/{account_id}/actions", json=draft)


def test_ban_and_reinstate(make_reader: Any, moderator: Reader, story: Any) -> None:
    reader = make_reader()
    assert act(moderator, reader.account["id"], action="ban", reason="Spam").status_code == 201
    assert reader.post("Still here?").status_code == 403
    assert act(moderator, reader.account["id"], action="reinstate").status_code == 201
    assert reader.post("Back again.").status_code == 201


def test_timed_suspension(make_reader: Any, moderator: Reader, story: Any) -> None:
    reader = make_reader()
    until = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert act(moderator, reader.account["id"], action="suspend", until=until).status_code == 201
    refused = reader.post("Let me speak")
    assert refused.status_code == 403
    assert "suspended until" in refused.json()["error"]["message"]
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert act(moderator, reader.account["id"], action="suspend", until=past).status_code == 422
    assert act(moderator, reader.account["id"], action="suspend").status_code == 422


def test_premoderated_account_is_held(make_reader: Any, moderator: Reader, story: Any) -> None:
    reader = make_reader()
    act(moderator, reader.account["id"], action="premoderate")
    assert reader.post("Held for review").json()["status"] == "pending"
    act(moderator, reader.account["id"], action="unpremoderate")
    assert reader.post("Published at once").json()["status"] == "approved"


def test_account_record_shows_comments_reports_and_actions(
    make_reader: Any, moderator: Reader, story: Any
) -> None:
    author, reporter = make_reader(), make_reader()
    kept = author.post("A comment that stays").json()
    removed = author.post("A comment that goes").json()
    reporter.request(
        "POST", f"/api/v1/comments/{removed['id']}/reports", json={"reason": "abusive"}
    )
    moderator.request(
        "POST",
        f"/api/v1/moderation/comments/{removed['id']}/decision",
        json={"action": "reject", "reason": "abusive"},
    )
    act(moderator, author.account["id"], action="warn", reason="Mind the tone")
    act(moderator, author.account["id"], action="note", reason="Regular on council stories")
    record = moderator.request("GET", f"/api/v1/moderation/accounts/{author.account['id']}")
    assert record.status_code == 200
    body = record.json()
    assert body["comments_by_status"] == {"approved": 1, "rejected": 1}
    assert [action["action"] for action in body["actions"]] == ["note", "warn"]
    assert {comment["id"] for comment in body["recent_comments"]} == {kept["id"], removed["id"]}
    reporter_record = moderator.request(
        "GET", f"/api/v1/moderation/accounts/{reporter.account['id']}"
    ).json()
    assert reporter_record["reports"] == {
        "upheld": 1,
        "dismissed": 0,
        "open": 0,
        "weight": pytest.approx(2 / 3),
    }


def test_commenters_cannot_reach_account_routes(make_reader: Any, story: Any) -> None:
    reader, other = make_reader(), make_reader()
    assert act(other, reader.account["id"], action="ban").status_code == 403
    assert (
        other.request("GET", f"/api/v1/moderation/accounts/{reader.account['id']}").status_code
        == 403
    )
    assert other.request("GET", "/api/v1/moderation/audit").status_code == 403


def test_moderators_cannot_act_on_admins_or_themselves(
    client: TestClient, db: Session, now: datetime, moderator: Reader
) -> None:
    admin = sign_in_as(client, db, now, Role.ADMIN)
    assert act(moderator, admin.account["id"], action="ban").status_code == 403
    assert act(moderator, moderator.account["id"], action="note").status_code == 403
    assert act(admin, moderator.account["id"], action="note", reason="ok").status_code == 201


def test_site_limited_moderators_may_note_but_not_ban(
    client: TestClient, db: Session, now: datetime, make_reader: Any, site: Any
) -> None:
    limited = sign_in_as(client, db, now, Role.MODERATOR)
    account = db.get(Account, limited.account["id"])
    assert account is not None
    accounts.assign_sites(db, account=account, site_ids=[site.id])
    db.commit()
    reader = make_reader()
    assert act(limited, reader.account["id"], action="ban").status_code == 403
    assert act(limited, reader.account["id"], action="note", reason="x").status_code == 201


def test_audit_log_filters_and_pages(
    make_reader: Any,
    moderator: Reader,
    db: Session,
    now: datetime,
    client: TestClient,
    story: Any,
) -> None:
    author = make_reader()
    ids = [author.post(f"Comment for the audit {n}").json()["id"] for n in range(3)]
    for comment_id in ids:
        moderator.request(
            "POST",
            f"/api/v1/moderation/comments/{comment_id}/decision",
            json={"action": "reject", "reason": "spam"},
        )
    page = moderator.request(
        "GET", "/api/v1/moderation/audit", params={"action": "reject", "limit": 2}
    ).json()
    assert [entry["comment_id"] for entry in page["entries"]] == [ids[2], ids[1]]
    assert all(entry["actor_id"] == moderator.account["id"] for entry in page["entries"])
    older = moderator.request(
        "GET",
        "/api/v1/moderation/audit",
        params={"action": "reject", "limit": 2, "before": page["next_before"]},
    ).json()
    assert [entry["comment_id"] for entry in older["entries"]] == [ids[0]]
    assert older["next_before"] is None
    other_site, _ = sites.create_site(
        db, name="Elsewhere", slug="elsewhere", origins=["https://elsewhere.example"], now=now
    )
    limited = sign_in_as(client, db, now, Role.STAFF)
    account = db.get(Account, limited.account["id"])
    assert account is not None
    account.role = Role.MODERATOR
    accounts.assign_sites(db, account=account, site_ids=[other_site.id])
    db.commit()
    assert limited.request("GET", "/api/v1/moderation/audit").json()["entries"] == []


def test_admins_assign_moderators_to_sites(
    client: TestClient, db: Session, now: datetime, moderator: Reader, site: Any
) -> None:
    admin = sign_in_as(client, db, now, Role.ADMIN)
    path = f"/api/v1/moderation/accounts/{moderator.account['id']}/sites"
    assert moderator.request("PUT", path, json={"site_ids": [site.id]}).status_code == 403
    assigned = admin.request("PUT", path, json={"site_ids": [site.id, site.id]})
    assert assigned.status_code == 200
    assert assigned.json() == {"site_ids": [site.id]}
    assert admin.request("PUT", path, json={"site_ids": [999_999]}).status_code == 404
    assert admin.request("PUT", path, json={"site_ids": []}).json() == {"site_ids": []}
    admin_path = f"/api/v1/moderation/accounts/{admin.account['id']}/sites"
    refused = admin.request("PUT", admin_path, json={"site_ids": [site.id]})
    assert refused.status_code == 422  # only moderators are limited; admins moderate everywhere
    assert refused.json()["error"]["code"] == "invalid_input"
