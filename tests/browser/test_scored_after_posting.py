"""Scoring after the write, seen by readers: on a server that never waits for its scorers, a
comment is stored withheld and published once scored; another reader's open thread offers it
behind the "new comments" button, and its author saw it waiting all along."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect
from tests.browser.test_desk_flow import call, register

from commentdesk.demo import STORY_URL

pytestmark = pytest.mark.browser

# This module's demo server scores every comment after it is stored.
SCORING_BUDGET_SECONDS = 0


def test_a_comment_scored_after_posting_reaches_open_threads_once_published(
    page: Any, demo_server: str
) -> None:
    page.goto(f"{demo_server}/")
    thread = page.locator("#commentdesk-thread")
    expect(thread).to_have_attribute("data-live", "on")

    writer = register(demo_server, "Later Writer")
    text = f"The Sunday hours matter more than the new roof {uuid.uuid4().hex[:6]}"
    posted = call(
        demo_server, "POST", "/api/v1/comments", {"story_url": STORY_URL, "body": text}, writer
    )
    assert posted["status"] == "withheld"
    assert posted["reason"] == "Your comment will appear once it has been checked."

    # The server's background scorer publishes it; the open thread offers it, live.
    button = thread.get_by_test_id("new-comments")
    expect(button).to_have_text("Show 1 new comment", timeout=30_000)
    button.click()
    expect(thread.get_by_role("article").filter(has_text=text)).to_have_count(1)
    stored = call(demo_server, "GET", f"/api/v1/comments/{posted['id']}", None, writer)
    assert stored["status"] == "approved"
