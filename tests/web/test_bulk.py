"""Featuring, bulk decisions and undo."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from commentdesk.accounts.models import Role
from commentdesk.moderation.models import Flag
from tests.conftest import STORY_URL, Reader
from tests.web.test_pipeline import sign_in_as


@pytest.fixture
def moderator(client: TestClient, db: Session, now: datetime) -> Reader:
    return sign_in_as(client, db, now, Role.MODERATOR)


def public_ids(client: TestClient) -> set[int]:
    thread = client.get("/api/v1/threads", params={"url": STORY_URL}).json()
    return {comment["id"] for comment in thread["comments"]}


def test_feature_and_unfeature(
    make_reader: Any, moderator: Reader, client: TestClient, story: Any
) -> None:
    comment = make_reader().post("An editor's pick").json()
    path = f"/api/v1/moderation/comments/{comment['id']}/decision"
    assert moderator.request("POST", path, json={"action": "feature"}).json()["is_featured"]
    thread = client.get("/api/v1/threads", params={"url": STORY_URL}).json()
    assert thread["comments"][0]["is_featured"] is True
    assert not moderator.request("POST", path, json={"action": "unfeature"}).json()["is_featured"]


def test_bulk_reject_then_undo_restores_status_and_reports(
    make_reader: Any, moderator: Reader, client: TestClient, db: Session, story: Any
) -> None:
    author, reporter = make_reader(), make_reader()
    ids = [author.post(f"Bulk target number {n}").json()["id"] for n in range(3)]
    reporter.request("POST", f"/api/v1/comments/{ids[0]}/reports", json={"reason": "spam"})
    bulk = moderator.request(
        "POST",
        "/api/v1/moderation/decisions",
        json={"comment_ids": [*ids, 999_999], "action": "reject", "reason": "spam"},
    )
    assert bulk.status_code == 200, bulk.text
    result = bulk.json()
    assert result["decided"] == ids
    assert result["skipped"] == [
        {"comment_id": 999_999, "code": "not_found", "message": "No such comment."}
    ]
    assert public_ids(client) == set()
    assert db.scalars(select(Flag.status).where(Flag.comment_id == ids[0])).all() == ["upheld"]
    undo = moderator.request("POST", f"/api/v1/moderation/decisions/{result['batch_id']}/undo")
    assert undo.status_code == 200
    assert sorted(undo.json()["decided"]) == ids
    assert public_ids(client) == set(ids)
    db.expire_all()
    assert db.scalars(select(Flag.status).where(Flag.comment_id == ids[0])).all() == ["open"]


def test_undo_skips_comments_decided_again_since(
    make_reader: Any, moderator: Reader, client: TestClient, story: Any
) -> None:
    ids = [make_reader().post(f"Comment {n} for a later change").json()["id"] for n in range(2)]
    batch = moderator.request(
        "POST", "/api/v1/moderation/decisions", json={"comment_ids": ids, "action": "reject"}
    ).json()["batch_id"]
    moderator.request(
        "POST", f"/api/v1/moderation/comments/{ids[0]}/decision", json={"action": "approve"}
    )
    undo = moderator.request("POST", f"/api/v1/moderation/decisions/{batch}/undo").json()
    assert undo["decided"] == [ids[1]]
    assert undo["skipped"][0]["comment_id"] == ids[0]
    assert undo["skipped"][0]["code"] == "conflict"


def test_bulk_routes_refuse_commenters_and_bad_input(
    make_reader: Any, moderator: Reader, story: Any
) -> None:
    reader = make_reader()
    comment = reader.post("Mine").json()
    response = reader.request(
        "POST",
        "/api/v1/moderation/decisions",
        json={"comment_ids": [comment["id"]], "action": "reject"},
    )
    assert response.status_code == 403
    too_many = moderator.request(
        "POST",
        "/api/v1/moderation/decisions",
        json={"comment_ids": list(range(1, 202)), "action": "reject"},
    )
    assert too_many.status_code == 422
    unknown = moderator.request("POST", f"/api/v1/moderation/decisions/{'0' * 32}/undo")
    assert unknown.status_code == 404
    malformed = moderator.request("POST", "/api/v1/moderation/decisions/not-a-batch/undo")
    assert malformed.status_code == 422
