"""Posting, replying, editing, withdrawing and reacting, through the HTTP API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from commentdesk.comments.models import Comment, Revision
from commentdesk.moderation.models import ModerationAction
from commentdesk.sites.models import Site
from commentdesk.stories.models import Story
from tests.conftest import ORIGIN, STORY_URL


def test_posted_comment_is_approved_and_rendered_safely(
    make_reader: Any, story: dict[str, Any]
) -> None:
    reader = make_reader("Ada")
    response = reader.post(
        "Read the [report](https://example.org/r) <script>alert(1)</script> *now*"
    )
    assert response.status_code == 201
    comment = response.json()
    assert comment["status"] == "approved"
    assert comment["author"] == {"id": reader.account["id"], "name": "Ada"}
    assert (
        '<a href="https://example.org/r" rel="nofollow ugc noopener">report</a>' in comment["html"]
    )
    assert "<script>" not in comment["html"]
    assert "<em>now</em>" in comment["html"]
    assert "email" not in str(comment)


def test_posting_requires_sign_in(client: TestClient, story: dict[str, Any]) -> None:
    response = client.post("/api/v1/comments", json={"story_url": STORY_URL, "body": "hi"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_bad_token_is_rejected_not_treated_as_guest(
    client: TestClient, story: dict[str, Any]
) -> None:
    response = client.get("/api/v1/auth/me", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize(
    ("body", "expected_code"),
    [
        ("", "invalid_input"),
        ("   \n\t ", "invalid_input"),
        ("x" * 5001, "invalid_input"),
        ("nul \x00 inside", "invalid_input"),
    ],
)
def test_invalid_bodies_are_rejected_with_a_stable_code(
    make_reader: Any, story: dict[str, Any], body: str, expected_code: str
) -> None:
    reader = make_reader()
    response = reader.post(body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == expected_code


@pytest.mark.parametrize(
    ("raw_body", "status"),
    [
        (b'{"story_url": "%s", "body": "lone surrogate \\ud800"}', 422),
        (b'{"story_url": "%s", "body": "bad utf-8 \xff\xfe"}', 400),
    ],
)
def test_body_that_is_not_valid_utf8_is_rejected(
    client: TestClient, make_reader: Any, story: dict[str, Any], raw_body: bytes, status: int
) -> None:
    reader = make_reader()
    response = client.post(
        "/api/v1/comments",
        content=raw_body % STORY_URL.encode(),
        headers={**reader.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == status
    assert response.json()["error"]["code"] == "invalid_input"


def test_body_of_exactly_5000_characters_after_trimming_is_accepted(
    make_reader: Any, story: dict[str, Any]
) -> None:
    response = make_reader().post("  " + "y" * 5000 + "  ")
    assert response.status_code == 201


def test_malformed_json_gets_invalid_input(
    client: TestClient, make_reader: Any, story: dict[str, Any]
) -> None:
    reader = make_reader()
    response = client.post(
        "/api/v1/comments",
        content=b'{"story_url": "x", "body": ',
        headers={**reader.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_comment_on_unknown_story_is_not_found(make_reader: Any, story: dict[str, Any]) -> None:
    response = make_reader().post("hello", url=f"{ORIGIN}/never-seen")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_reply_nests_under_its_parent(
    make_reader: Any, client: TestClient, story: dict[str, Any]
) -> None:
    first, second = make_reader(), make_reader()
    parent = first.post("Top-level point").json()
    reply = second.post("A reply", parent_id=parent["id"])
    assert reply.status_code == 201
    thread = client.get("/api/v1/threads", params={"url": STORY_URL}).json()
    assert [comment["id"] for comment in thread["comments"]] == [parent["id"]]
    assert thread["comments"][0]["reply_count"] == 1
    assert thread["comments"][0]["replies"][0]["id"] == reply.json()["id"]
    assert thread["story"]["comment_count"] == 2


def test_reply_to_comment_in_other_story_is_rejected(
    make_reader: Any, client: TestClient, story: dict[str, Any]
) -> None:
    other_url = f"{ORIGIN}/2026/11/28/other-story"
    assert client.get("/api/v1/threads", params={"url": other_url}).status_code == 200
    reader = make_reader()
    elsewhere = reader.post("On the other story", url=other_url).json()
    response = reader.post("Wrong parent", parent_id=elsewhere["id"])
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    assert response.json()["error"]["details"] == {"parent_id": elsewhere["id"]}


def test_reply_to_missing_parent_is_rejected(make_reader: Any, story: dict[str, Any]) -> None:
    response = make_reader().post("Wrong parent", parent_id=999_999)
    assert response.status_code == 422


def test_closed_story_refuses_comments(
    make_reader: Any, client: TestClient, story: dict[str, Any], site_with_key: tuple[Site, str]
) -> None:
    _, api_key = site_with_key
    closed = client.put(
        "/api/v1/stories",
        json={"url": STORY_URL, "title": "Budget", "is_closed": True},
        headers={"X-API-Key": api_key},
    )
    assert closed.status_code == 200
    response = make_reader().post("Too late")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "story_closed"
    assert client.get("/api/v1/threads", params={"url": STORY_URL}).json()["story"]["is_closed"]


def test_premoderated_story_holds_comments_as_pending(
    make_reader: Any, client: TestClient, story: dict[str, Any], site_with_key: tuple[Site, str]
) -> None:
    _, api_key = site_with_key
    client.put(
        "/api/v1/stories",
        json={"url": STORY_URL, "title": "B", "is_premoderated": True},
        headers={"X-API-Key": api_key},
    )
    author, other = make_reader(), make_reader()
    posted = author.post("Please review me")
    assert posted.status_code == 201
    assert posted.json()["status"] == "pending"
    assert posted.json()["reason"]
    thread = client.get("/api/v1/threads", params={"url": STORY_URL}).json()
    assert thread["comments"] == [] and thread["story"]["comment_count"] == 0
    mine = author.request("GET", "/api/v1/threads/me", params={"url": STORY_URL}).json()
    assert [comment["status"] for comment in mine["comments"]] == ["pending"]
    theirs = other.request("GET", "/api/v1/threads/me", params={"url": STORY_URL}).json()
    assert theirs["comments"] == []
    assert other.request("GET", f"/api/v1/comments/{posted.json()['id']}").status_code == 404


def test_edit_within_window_keeps_a_revision(
    make_reader: Any, db: Session, story: dict[str, Any]
) -> None:
    reader = make_reader()
    comment = reader.post("First **draft**").json()
    response = reader.request(
        "PATCH", f"/api/v1/comments/{comment['id']}", json={"body": "Second _draft_"}
    )
    assert response.status_code == 200
    assert response.json()["html"] == "<p>Second <em>draft</em></p>"
    assert response.json()["edited_at"] is not None
    bodies = db.scalars(
        select(Revision.body).where(Revision.comment_id == comment["id"]).order_by(Revision.id)
    ).all()
    assert bodies == ["First **draft**", "Second _draft_"]


def test_edit_after_the_window_is_refused(
    make_reader: Any, db: Session, story: dict[str, Any]
) -> None:
    reader = make_reader()
    comment = reader.post("Original").json()
    db.execute(
        update(Comment)
        .where(Comment.id == comment["id"])
        .values(created_at=datetime.now(UTC) - timedelta(minutes=11))
    )
    db.commit()
    response = reader.request("PATCH", f"/api/v1/comments/{comment['id']}", json={"body": "New"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "edit_window_closed"


def test_editing_someone_elses_comment_is_forbidden(
    make_reader: Any, story: dict[str, Any]
) -> None:
    author, intruder = make_reader(), make_reader()
    comment = author.post("Mine").json()
    response = intruder.request(
        "PATCH", f"/api/v1/comments/{comment['id']}", json={"body": "Yours now"}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    deletion = intruder.request("DELETE", f"/api/v1/comments/{comment['id']}")
    assert deletion.status_code == 403


def test_deleted_comment_with_replies_stays_as_tombstone(
    make_reader: Any, client: TestClient, db: Session, story: dict[str, Any]
) -> None:
    author, replier = make_reader(), make_reader()
    parent = author.post("Soon gone").json()
    lonely = author.post("Gone without trace").json()
    reply = replier.post("Still here", parent_id=parent["id"]).json()
    assert author.request("DELETE", f"/api/v1/comments/{parent['id']}").status_code == 204
    assert author.request("DELETE", f"/api/v1/comments/{lonely['id']}").status_code == 204
    thread = client.get("/api/v1/threads", params={"url": STORY_URL}).json()
    assert [comment["id"] for comment in thread["comments"]] == [parent["id"]]
    tombstone = thread["comments"][0]
    assert tombstone["is_tombstone"] and tombstone["author"] is None and tombstone["html"] == ""
    assert tombstone["replies"][0]["id"] == reply["id"]
    assert thread["story"]["comment_count"] == 1
    actions = db.scalars(
        select(ModerationAction.action)
        .where(ModerationAction.comment_id == parent["id"])
        .order_by(ModerationAction.id)
    ).all()
    assert actions == ["posted", "withdrawn"]


def test_reactions_toggle_and_count(
    make_reader: Any, client: TestClient, story: dict[str, Any]
) -> None:
    author, fan = make_reader(), make_reader()
    comment = author.post("Worth respecting").json()
    path = f"/api/v1/comments/{comment['id']}/reactions"
    assert fan.request("POST", path).json() == {"reaction_count": 1, "reacted": True}
    assert fan.request("POST", path).json() == {"reaction_count": 1, "reacted": True}
    thread = client.get("/api/v1/threads", params={"url": STORY_URL, "sort": "top"}).json()
    assert thread["comments"][0]["reaction_count"] == 1
    me = fan.request("GET", "/api/v1/threads/me", params={"url": STORY_URL}).json()
    assert me["reacted"] == [comment["id"]]
    assert fan.request("DELETE", path).json() == {"reaction_count": 0, "reacted": False}
    own = author.request("POST", path)
    assert own.status_code == 403


def test_accepted_comment_is_in_the_database(
    make_reader: Any, db: Session, story: dict[str, Any]
) -> None:
    comment = make_reader().post("Persisted").json()
    stored = db.get(Comment, comment["id"])
    assert stored is not None and stored.body == "Persisted"
    assert db.get(Story, stored.story_id) is not None


@pytest.mark.parametrize("comment_id", ["0", "-1", "99999999999999999999", "2147483648", "abc"])
def test_out_of_range_comment_ids_are_invalid_input(
    make_reader: Any, story: dict[str, Any], comment_id: str
) -> None:
    reader = make_reader()
    for method, path in (
        ("GET", f"/api/v1/comments/{comment_id}"),
        ("PATCH", f"/api/v1/comments/{comment_id}"),
        ("POST", f"/api/v1/comments/{comment_id}/reactions"),
    ):
        response = reader.request(method, path, json={"body": "x"})
        assert response.status_code == 422, (method, path)
        assert response.json()["error"]["code"] == "invalid_input"


def test_unknown_routes_and_methods_get_the_error_shape(client: TestClient) -> None:
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    wrong_method = client.put("/api/v1/comments")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"


def test_markdown_source_is_shown_to_its_author_only(
    make_reader: Any, client: TestClient, story: dict[str, Any]
) -> None:
    author, other = make_reader(), make_reader()
    posted = author.post("Some **bold** claim")
    assert posted.json()["body"] == "Some **bold** claim"
    path = f"/api/v1/comments/{posted.json()['id']}"
    assert author.request("GET", path).json()["body"] == "Some **bold** claim"
    assert other.request("GET", path).json()["body"] is None
    assert client.get(path).json()["body"] is None
    thread = client.get("/api/v1/threads", params={"url": STORY_URL}).json()
    assert thread["comments"][0]["body"] is None


def test_preview_renders_a_draft_as_it_would_be_posted_and_stores_nothing(
    make_reader: Any, client: TestClient, story: Any
) -> None:
    reader = make_reader()
    draft = "**Bold** claim with [a source](https://example.org) <script>alert(1)</script>"
    preview = reader.request("POST", "/api/v1/comments/preview", json={"body": draft})
    assert preview.status_code == 200, preview.text
    html = preview.json()["html"]
    assert "<strong>Bold</strong>" in html
    assert 'href="https://example.org"' in html
    assert "<script" not in html
    assert client.get("/api/v1/threads", params={"url": STORY_URL}).json()["comments"] == []
    anonymous = client.post("/api/v1/comments/preview", json={"body": "hello"})
    assert anonymous.status_code == 401
    empty = reader.request("POST", "/api/v1/comments/preview", json={"body": ""})
    assert empty.status_code == 422
