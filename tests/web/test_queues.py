"""Moderation queues: membership, scope, order, and the priority order's reasons."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from commentdesk.accounts.models import Role
from commentdesk.comments.models import Comment
from commentdesk.moderation import policy
from tests.conftest import ORIGIN, STORY_URL, Reader
from tests.web.test_pipeline import sign_in_as


@pytest.fixture
def moderator(client: TestClient, db: Session, now: datetime) -> Reader:
    return sign_in_as(client, db, now, Role.MODERATOR)


def queue(desk: Reader, name: str, **params: Any) -> Any:
    response = desk.request("GET", f"/api/v1/moderation/queues/{name}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def ids(page: Any) -> list[int]:
    return [item["comment"]["id"] for item in page["items"]]


def test_unmoderated_approved_and_rejected_queues(
    make_reader: Any, moderator: Reader, story: Any
) -> None:
    author = make_reader()
    untouched = author.post("Published by the system").json()["id"]
    confirmed = author.post("Seen and approved by a person").json()["id"]
    removed = author.post("Removed by a person").json()["id"]
    moderator.request(
        "POST", f"/api/v1/moderation/comments/{confirmed}/decision", json={"action": "approve"}
    )
    moderator.request(
        "POST",
        f"/api/v1/moderation/comments/{removed}/decision",
        json={"action": "reject", "reason": "spam"},
    )
    assert ids(queue(moderator, "unmoderated")) == [untouched]
    assert ids(queue(moderator, "approved")) == [untouched, confirmed]
    assert ids(queue(moderator, "rejected")) == [removed]
    assert ids(queue(moderator, "approved", order="newest")) == [confirmed, untouched]


def test_queues_scope_to_a_site_or_a_story(
    make_reader: Any, moderator: Reader, client: TestClient, site: Any, story: Any
) -> None:
    other_url = f"{ORIGIN}/2026/11/29/another-story"
    other_story = client.get("/api/v1/threads", params={"url": other_url}).json()["story"]
    author = make_reader()
    here = author.post("On the first story").json()["id"]
    there = author.post("On the second story", url=other_url).json()["id"]
    assert ids(queue(moderator, "unmoderated", story_id=story["id"])) == [here]
    assert ids(queue(moderator, "unmoderated", story_id=other_story["id"])) == [there]
    assert ids(queue(moderator, "unmoderated", site_id=site.id)) == [here, there]
    assert queue(moderator, "unmoderated", site_id=site.id)["count"] == 2


def test_priority_puts_risk_first_and_says_why(
    make_reader: Any, moderator: Reader, db: Session, now: datetime, story: Any
) -> None:
    author = make_reader()
    calm = author.post("A calm comment that one reader reported").json()["id"]
    hot = author.post("A comment that three readers reported").json()["id"]
    old = author.post("An old comment one reader reported").json()["id"]
    db.execute(
        update(Comment).where(Comment.id == old).values(created_at=now - timedelta(hours=30))
    )
    db.commit()
    reporters = [make_reader() for _ in range(3)]
    for reporter in reporters:
        reporter.request("POST", f"/api/v1/comments/{hot}/reports", json={"reason": "abusive"})
    for target in (calm, old):
        reporters[0].request("POST", f"/api/v1/comments/{target}/reports", json={"reason": "spam"})
    page = queue(moderator, "reported", order="priority")
    assert ids(page) == [hot, old, calm]
    first = page["items"][0]
    assert first["priority"] > page["items"][1]["priority"]
    assert any("reports weigh 1.50" in reason for reason in first["why"])
    assert any(reason.startswith("waiting 30") for reason in page["items"][1]["why"])


def test_priority_scoring_is_pure_and_explained() -> None:
    score, why = policy.priority(
        policy.PrioritySignals(
            report_weight=0.0,
            machine_flags=("banned_word",),
            reply_count=4,
            reaction_count=0,
            story_comment_count=120,
            waiting_seconds=90,
        )
    )
    assert score > 0
    assert why == [
        "banned word",
        "4 replies, 0 reactions",
        "busy story (120 comments)",
        "waiting 1 min",
    ]


def test_unknown_queue_or_order_is_invalid(moderator: Reader, story: Any) -> None:
    assert moderator.request("GET", "/api/v1/moderation/queues/everything").status_code == 422
    response = moderator.request(
        "GET", "/api/v1/moderation/queues/pending", params={"order": "random"}
    )
    assert response.status_code == 422


def test_story_url_is_shown_with_each_item(make_reader: Any, moderator: Reader, story: Any) -> None:
    make_reader().post("Hello")
    item = queue(moderator, "unmoderated")["items"][0]
    assert item["story_url"] == STORY_URL


def test_search_by_text_author_and_story(make_reader: Any, moderator: Reader, story: Any) -> None:
    first, second = make_reader(), make_reader()
    match = first.post("The 50% budget cut_off is wrong").json()["id"]
    first.post("Nothing to see").json()
    other = second.post("Also about the BUDGET").json()["id"]

    def search(**params: Any) -> list[int]:
        response = moderator.request("GET", "/api/v1/moderation/comments", params=params)
        assert response.status_code == 200, response.text
        return ids(response.json())

    assert search(q="budget") == [other, match]
    assert search(q="budget", author_id=first.account["id"]) == [match]
    assert search(q="50%") == [match]
    assert search(q="g_to") == []  # "_" is a literal: "Nothing to see" does not match
    assert search(q="cut_off", story_id=story["id"]) == [match]
    assert first.request("GET", "/api/v1/moderation/comments").status_code == 403
