"""Following stories and comments, and a reader's activity since their last visit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from commentdesk.comments.models import Comment
from commentdesk.follows import service as follows
from commentdesk.follows.models import ReaderVisit
from commentdesk.sites import service as sites
from tests.conftest import ORIGIN, STORY_URL, Reader

OTHER_STORY_URL = f"{ORIGIN}/2026/11/28/river-flood"


def open_story(client: TestClient, url: str, title: str) -> dict[str, Any]:
    response = client.get("/api/v1/threads", params={"url": url, "title": title})
    assert response.status_code == 200, response.text
    story: dict[str, Any] = response.json()["story"]
    return story


def posted(reader: Reader, body: str, parent_id: int | None = None, url: str = STORY_URL) -> int:
    response = reader.post(body, parent_id=parent_id, url=url)
    assert response.status_code == 201, response.text
    comment_id: int = response.json()["id"]
    return comment_id


def visit(reader: Reader, url: str = STORY_URL) -> dict[str, Any]:
    response = reader.request("POST", "/api/v1/activity", params={"url": url})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def items(activity: dict[str, Any]) -> list[tuple[str, int]]:
    return [(item["kind"], item["comment"]["id"]) for item in activity["items"]]


def overlay(reader: Reader) -> dict[str, Any]:
    response = reader.request("GET", "/api/v1/threads/me", params={"url": STORY_URL})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_following_a_story_and_a_comment_shows_in_the_overlay(
    make_reader: Any, story: dict[str, Any]
) -> None:
    reader, author = make_reader(), make_reader()
    comment_id = posted(author, "The budget leaves the libraries short.")
    assert overlay(reader)["following_story"] is False
    for _ in range(2):  # idempotent
        response = reader.request("PUT", "/api/v1/follows/story", params={"url": STORY_URL})
        assert response.status_code == 200, response.text
        assert response.json() == {
            "story_id": story["id"],
            "comment_id": None,
            "is_following": True,
        }
        response = reader.request("PUT", f"/api/v1/follows/comments/{comment_id}")
        assert response.json()["is_following"] is True
    state = overlay(reader)
    assert state["following_story"] is True and state["followed"] == [comment_id]
    assert overlay(author)["following_story"] is False and overlay(author)["followed"] == []

    reader.request("DELETE", "/api/v1/follows/story", params={"url": STORY_URL})
    response = reader.request("DELETE", f"/api/v1/follows/comments/{comment_id}")
    assert response.json() == {
        "story_id": story["id"],
        "comment_id": comment_id,
        "is_following": False,
    }
    state = overlay(reader)
    assert state["following_story"] is False and state["followed"] == []


def test_activity_holds_replies_to_the_reader_and_what_they_follow(
    make_reader: Any, client: TestClient, story: dict[str, Any]
) -> None:
    open_story(client, OTHER_STORY_URL, "River flood")
    reader, first, second, third = make_reader(), make_reader(), make_reader(), make_reader()
    mine = posted(reader, "Who audits the capital budget?")
    theirs = posted(first, "The roads budget doubled.")
    reader.request("PUT", f"/api/v1/follows/comments/{theirs}")
    reader.request("PUT", "/api/v1/follows/story", params={"url": OTHER_STORY_URL})

    reply_to_me = posted(first, "The city auditor does, every March.", parent_id=mine)
    in_thread = posted(second, "Mostly for the ring road.", parent_id=theirs)
    deeper = posted(third, "Which was promised in 2019.", parent_id=in_thread)
    elsewhere = posted(second, "The flood barrier held.", url=OTHER_STORY_URL)
    unrelated = posted(second, "A comment nobody follows.")
    posted(reader, "My own reply is not news to me.", parent_id=theirs)

    activity = visit(reader)
    assert items(activity) == [
        ("story", elsewhere),
        ("thread", deeper),
        ("thread", in_thread),
        ("reply", reply_to_me),
    ]
    assert unrelated not in [comment_id for _, comment_id in items(activity)]
    assert activity["items"][0]["story"]["url"] == OTHER_STORY_URL
    assert activity["items"][-1]["comment"]["author"]["name"] == first.account["name"]
    assert activity["has_more"] is False
    # A reply to a comment the reader both wrote and follows is one item, of the personal kind.
    reader.request("PUT", f"/api/v1/follows/comments/{mine}")
    again = posted(second, "The auditor is new this year.", parent_id=mine)
    assert items(visit(reader))[0] == ("reply", again)


def test_a_reload_keeps_what_is_new_and_reading_clears_it(
    make_reader: Any, db: Session, story: dict[str, Any]
) -> None:
    reader, other = make_reader(), make_reader()
    mine = posted(reader, "Who audits the capital budget?")
    first_reply = posted(other, "The city auditor.", parent_id=mine)
    assert items(visit(reader)) == [("reply", first_reply)]
    assert items(visit(reader)) == [("reply", first_reply)]  # the same visit

    response = reader.request("POST", "/api/v1/activity/read", params={"url": STORY_URL})
    assert response.status_code == 204
    assert visit(reader)["items"] == []
    later = posted(other, "And the council's own committee.", parent_id=mine)
    assert items(visit(reader)) == [("reply", later)]

    # More than half an hour later, a new visit starts where the last one ended: what the
    # reader saw during that visit is no longer new, what came after is.
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    db.execute(
        update(Comment)
        .where(Comment.id.in_([first_reply, later]))
        .values(created_at=an_hour_ago - timedelta(minutes=5))
    )
    db.execute(
        update(ReaderVisit)
        .where(ReaderVisit.account_id == reader.account["id"])
        .values(last_seen_at=an_hour_ago, new_since=an_hour_ago - timedelta(hours=1))
    )
    db.commit()
    newest = posted(other, "The committee meets on Tuesdays.", parent_id=mine)
    after = visit(reader)
    assert items(after) == [("reply", newest)]
    assert datetime.fromisoformat(after["since"]) == an_hour_ago


def test_activity_leaves_out_unpublished_comments_and_other_sites(
    make_reader: Any,
    client: TestClient,
    db: Session,
    now: datetime,
    story: dict[str, Any],
    site_with_key: tuple[Any, str],
) -> None:
    sites.create_site(
        db, name="The Other Paper", slug="other-paper", origins=["https://other.example"], now=now
    )
    db.commit()
    other_url = "https://other.example/2026/11/28/elsewhere"
    open_story(client, other_url, "Elsewhere")
    reader, other = make_reader(), make_reader()
    reader.request("PUT", "/api/v1/follows/story", params={"url": other_url})
    reader.request("PUT", "/api/v1/follows/story", params={"url": STORY_URL})
    posted(other, "On the other paper's story.", url=other_url)
    mine = posted(reader, "A question for the council.")
    reply = posted(other, "An answer.", parent_id=mine)
    response = other.request("DELETE", f"/api/v1/comments/{reply}")
    assert response.status_code == 204
    premoderated = client.put(
        "/api/v1/stories",
        json={"url": STORY_URL, "title": "Budget", "is_premoderated": True},
        headers={"X-API-Key": site_with_key[1]},
    )
    assert premoderated.status_code == 200, premoderated.text
    waiting = other.post("Awaiting review.", parent_id=mine)
    assert waiting.json()["status"] == "pending"
    assert visit(reader)["items"] == []
    # On the other site's story, its own site's news shows.
    assert [item["story"]["url"] for item in visit(reader, other_url)["items"]] == [other_url]


def test_follow_refusals(
    make_reader: Any, client: TestClient, story: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, author = make_reader(), make_reader()
    comment_id = posted(author, "Delete me later.")
    anonymous = client.put("/api/v1/follows/story", params={"url": STORY_URL})
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "unauthenticated"
    assert client.post("/api/v1/activity", params={"url": STORY_URL}).status_code == 401
    unknown = reader.request(
        "PUT", "/api/v1/follows/story", params={"url": f"{ORIGIN}/never-published"}
    )
    assert unknown.status_code == 404
    assert reader.request("PUT", "/api/v1/follows/comments/999999").status_code == 404
    assert reader.request("PUT", "/api/v1/follows/comments/0").status_code == 422
    assert reader.request("PUT", "/api/v1/follows/story").status_code == 422

    author.request("DELETE", f"/api/v1/comments/{comment_id}")
    gone = reader.request("PUT", f"/api/v1/follows/comments/{comment_id}")
    assert gone.status_code == 404  # a deleted comment is hidden from readers

    monkeypatch.setattr(follows, "MAX_FOLLOWS", 2)
    first, second = posted(author, "One."), posted(author, "Two.")
    assert reader.request("PUT", f"/api/v1/follows/comments/{first}").status_code == 200
    assert reader.request("PUT", f"/api/v1/follows/comments/{second}").status_code == 200
    assert reader.request("PUT", f"/api/v1/follows/comments/{second}").status_code == 200
    full = reader.request("PUT", "/api/v1/follows/story", params={"url": STORY_URL})
    assert full.status_code == 409
    assert full.json()["error"]["code"] == "follow_limit"
