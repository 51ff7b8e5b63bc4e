"""Reader reports are weighed by each reporter's record; enough weight withholds a comment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from commentdesk.accounts.models import Role
from commentdesk.moderation import policy
from tests.conftest import STORY_URL, Reader
from tests.web.test_pipeline import sign_in_as


@pytest.fixture
def moderator(client: TestClient, db: Session, now: datetime) -> Reader:
    return sign_in_as(client, db, now, Role.MODERATOR)


def with_record(make_reader: Any, moderator: Reader, author: Reader, *, upheld: bool) -> Reader:
    """A reporter with three decided reports: all upheld, or all dismissed."""
    reporter = make_reader()
    action = "reject" if upheld else "approve"
    for number in range(3):
        target = author.post(f"Earlier comment {number} by the author, {upheld}").json()
        reporter.request(
            "POST", f"/api/v1/comments/{target['id']}/reports", json={"reason": "abusive"}
        )
        decision = moderator.request(
            "POST",
            f"/api/v1/moderation/comments/{target['id']}/decision",
            json={"action": action, "reason": "abusive"} if upheld else {"action": action},
        )
        assert decision.status_code == 200, decision.text
    return reporter


def test_reporter_weight_follows_the_record() -> None:
    assert policy.reporter_weight(upheld=0, dismissed=0) == 0.5
    assert policy.reporter_weight(upheld=3, dismissed=0) == pytest.approx(0.8)
    assert policy.reporter_weight(upheld=0, dismissed=3) == pytest.approx(0.2)


def test_three_reports_from_accurate_reporters_withhold_the_comment(
    make_reader: Any, moderator: Reader, client: TestClient, story: Any
) -> None:
    author = make_reader()
    reporters = [with_record(make_reader, moderator, author, upheld=True) for _ in range(3)]
    target = author.post("The comment they all report").json()
    for reporter in reporters:
        response = reporter.request(
            "POST", f"/api/v1/comments/{target['id']}/reports", json={"reason": "abusive"}
        )
        assert response.status_code == 201
    thread = client.get("/api/v1/threads", params={"url": STORY_URL}).json()
    assert target["id"] not in [comment["id"] for comment in thread["comments"]]
    mine = author.request("GET", "/api/v1/threads/me", params={"url": STORY_URL}).json()
    withheld = [comment for comment in mine["comments"] if comment["id"] == target["id"]]
    assert withheld[0]["status"] == "withheld"
    assert "review reports" in withheld[0]["reason"]
    queue = moderator.request("GET", "/api/v1/moderation/queues/withheld").json()
    item = queue["items"][0]
    assert item["comment"]["id"] == target["id"]
    assert item["reasons"][0]["code"] == "reports"
    assert item["reasons"][0]["detail"]["score"] == pytest.approx(2.4)
    approve = moderator.request(
        "POST", f"/api/v1/moderation/comments/{target['id']}/decision", json={"action": "approve"}
    )
    assert approve.json()["status"] == "approved"


def test_three_reports_from_overturned_reporters_do_not_hide_it(
    make_reader: Any, moderator: Reader, client: TestClient, story: Any
) -> None:
    author = make_reader()
    reporters = [with_record(make_reader, moderator, author, upheld=False) for _ in range(3)]
    target = author.post("A comment the unreliable reporters dislike").json()
    for reporter in reporters:
        reporter.request(
            "POST", f"/api/v1/comments/{target['id']}/reports", json={"reason": "abusive"}
        )
    thread = client.get("/api/v1/threads", params={"url": STORY_URL}).json()
    assert target["id"] in [comment["id"] for comment in thread["comments"]]
    reported = moderator.request("GET", "/api/v1/moderation/queues/reported").json()
    assert target["id"] in [item["comment"]["id"] for item in reported["items"]]


def test_reporting_is_rate_limited(make_reader: Any, story: Any) -> None:
    author, reporter = make_reader(), make_reader()
    targets = [author.post(f"Comment number {n} to report").json() for n in range(11)]
    statuses = [
        reporter.request(
            "POST", f"/api/v1/comments/{target['id']}/reports", json={"reason": "spam"}
        ).status_code
        for target in targets
    ]
    assert statuses == [201] * 10 + [429]
