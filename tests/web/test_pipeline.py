"""The moderation pipeline through the API: every new comment is screened, with reasons."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from commentdesk.accounts import passwords
from commentdesk.accounts import service as accounts
from commentdesk.accounts.models import Account, Role
from commentdesk.moderation.models import Flag, ModerationAction
from commentdesk.sites.models import Site
from tests.conftest import STORY_URL, Reader


def sign_in_as(client: TestClient, db: Session, now: datetime, role: Role) -> Reader:
    email = f"{role}@example.org"
    accounts.create_account(
        db,
        email=email,
        password_hash=passwords.hash_password("staff pw!!"),
        name=str(role).title(),
        role=role,
        now=now,
    )
    db.commit()
    login = client.post("/api/v1/auth/login", json={"email": email, "password": "staff pw!!"})
    return Reader(client, login.json()["token"], login.json()["account"])


@pytest.fixture
def admin(client: TestClient, db: Session, now: datetime) -> Reader:
    return sign_in_as(client, db, now, Role.ADMIN)


@pytest.fixture
def moderator(client: TestClient, db: Session, now: datetime) -> Reader:
    return sign_in_as(client, db, now, Role.MODERATOR)


@pytest.fixture
def configure(admin: Reader, site: Site) -> Any:
    def apply(**settings: Any) -> None:
        base = {"rate_limit_count": 1000, "repeat_window_seconds": 0}
        response = admin.request(
            "PUT", f"/api/v1/moderation/sites/{site.id}/settings", json={**base, **settings}
        )
        assert response.status_code == 200, response.text

    return apply


def test_banned_word_is_rejected_with_its_reason(
    configure: Any, make_reader: Any, client: TestClient, db: Session, story: Any
) -> None:
    configure(banned_words=["scum*"])
    author = make_reader()
    posted = author.post("You are all SCUMBAGS.")
    assert posted.status_code == 201
    assert posted.json()["status"] == "rejected"
    assert "language our policy does not allow" in posted.json()["reason"]
    assert client.get("/api/v1/threads", params={"url": STORY_URL}).json()["comments"] == []
    mine = author.request("GET", "/api/v1/threads/me", params={"url": STORY_URL}).json()
    assert mine["comments"][0]["status"] == "rejected"
    audit = db.scalars(
        select(ModerationAction).where(ModerationAction.comment_id == posted.json()["id"])
    ).one()
    assert audit.reasons is not None
    assert audit.reasons[0]["code"] == "banned_word"
    assert audit.reasons[0]["detail"]["words"] == ["scum*"]
    assert audit.reasons[0]["detail"]["clause"] == "civility"
    flags = db.scalars(select(Flag.reason).where(Flag.comment_id == posted.json()["id"])).all()
    assert flags == ["banned_word"]


def test_suspect_word_is_held_and_shown_to_moderators_with_the_word(
    configure: Any, make_reader: Any, moderator: Reader, story: Any
) -> None:
    configure(suspect_words=["corrupt"])
    posted = make_reader().post("The deal looks corrupt to me.")
    assert posted.json()["status"] == "pending"
    queue = moderator.request("GET", "/api/v1/moderation/queues/pending").json()
    item = queue["items"][0]
    assert item["comment"]["id"] == posted.json()["id"]
    assert item["reasons"][0]["code"] == "suspect_word"
    assert "corrupt" in item["reasons"][0]["message"]


def test_new_commenter_is_premoderated_until_approved(
    configure: Any, make_reader: Any, moderator: Reader, story: Any
) -> None:
    configure(new_commenter_threshold=1)
    newcomer = make_reader()
    first = newcomer.post("My first comment here.")
    assert first.json()["status"] == "pending"
    assert "new commenters" in first.json()["reason"]
    moderator.request(
        "POST",
        f"/api/v1/moderation/comments/{first.json()['id']}/decision",
        json={"action": "approve"},
    )
    second = newcomer.post("And a second, different one.")
    assert second.json()["status"] == "approved"


def test_banned_account_cannot_post(make_reader: Any, db: Session, story: Any) -> None:
    reader = make_reader()
    db.execute(update(Account).where(Account.id == reader.account["id"]).values(status="banned"))
    db.commit()
    response = reader.post("Let me back in")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_rate_limit_and_repeats_are_refused_and_not_stored(
    configure: Any, make_reader: Any, client: TestClient, story: Any
) -> None:
    # Every attempt counts toward the rate limit, the refused repeat included.
    configure(rate_limit_count=3, rate_limit_window_seconds=60, repeat_window_seconds=3600)
    reader = make_reader()
    assert reader.post("The council should publish the numbers.").status_code == 201
    repeat = reader.post("The council should publish the numbers!")
    assert repeat.status_code == 409
    assert repeat.json()["error"]["details"]["code"] == "repeat_post"
    assert reader.post("A different thought on libraries.").status_code == 201
    limited = reader.post("And a third idea about the kiosks.")
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    thread = client.get("/api/v1/threads", params={"url": STORY_URL}).json()
    assert thread["story"]["comment_count"] == 2


def test_check_tells_the_author_what_may_break_the_policy_without_posting(
    configure: Any, make_reader: Any, client: TestClient, story: Any
) -> None:
    configure(suspect_words=["corrupt"], link_policy="hold_all")
    reader = make_reader()
    response = reader.request(
        "POST",
        "/api/v1/comments/check",
        json={
            "story_url": STORY_URL,
            "body": "Corrupt! See [proof](https://proof.example.com)",
        },
    )
    assert response.status_code == 200
    check = response.json()
    assert check["outcome"] == "hold"
    assert any("links" in message for message in check["messages"])
    clean = reader.request(
        "POST", "/api/v1/comments/check", json={"story_url": STORY_URL, "body": "A fair point."}
    ).json()
    assert clean == {"outcome": "approve", "messages": [], "issues": []}
    assert client.get("/api/v1/threads", params={"url": STORY_URL}).json()["comments"] == []


def test_site_settings_are_read_by_moderators_and_changed_by_admins_only(
    moderator: Reader, admin: Reader, make_reader: Any, site: Site
) -> None:
    path = f"/api/v1/moderation/sites/{site.id}/settings"
    assert moderator.request("GET", path).json()["rate_limit_count"] == 1000
    assert make_reader().request("GET", path).status_code == 403
    refused = moderator.request("PUT", path, json={"banned_words": ["x"]})
    assert refused.status_code == 403
    invalid = admin.request("PUT", path, json={"allowed_link_domains": ["not a domain"]})
    assert invalid.status_code == 422
    changed = admin.request("PUT", path, json={"banned_words": ["x"], "max_length": 100})
    assert changed.status_code == 200
    assert moderator.request("GET", path).json()["max_length"] == 100
    assert admin.request("GET", "/api/v1/moderation/sites/999999/settings").status_code == 404
