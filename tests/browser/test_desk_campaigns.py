"""Campaigns in real Chromium against the demo server: three readers post one pitch with small
changes; the moderator finds it from the header's Campaigns link, the page passes axe, and the
campaign is rejected from its card."""

from __future__ import annotations

import urllib.parse
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_desk_accessibility import serious_violations
from tests.browser.test_desk_flow import call, my_comments, register

from commentdesk.demo import STORY_URL

pytestmark = pytest.mark.browser


@pytest.fixture
def desk_page(browser: Any) -> Iterator[Any]:
    """A page that lets axe-core in past the desk's Content-Security-Policy."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    yield page
    context.close()
    assert script_errors == [], f"uncaught errors in the page: {script_errors}"


def test_moderator_rejects_a_campaign_from_its_card(
    desk_page: Any, demo_server: str, moderator_login: tuple[str, str]
) -> None:
    page = desk_page
    code = uuid.uuid4().hex[:6]
    pitch = f"Tired of high energy bills? I cut mine in half with SolarMax, use code {code}!"
    variants = [pitch, pitch.replace("high", "huge"), pitch.replace("I cut", "i cut") + "!!"]
    authors = [register(demo_server, f"Campaign Reader {number}") for number in (1, 2, 3)]
    ids = [
        call(demo_server, "POST", "/api/v1/comments", {"story_url": STORY_URL, "body": body}, who)[
            "id"
        ]
        for body, who in zip(variants, authors, strict=True)
    ]

    page.goto(f"{demo_server}/desk/audit")
    expect(page).to_have_url(
        f"{demo_server}/desk/login?next={urllib.parse.quote('/desk/audit', safe='')}"
    )
    page.get_by_label("Email").fill(moderator_login[0])
    page.get_by_label("Password").fill(moderator_login[1])
    page.get_by_label("Password").press("Enter")
    page.get_by_role("link", name="campaigns").first.click()
    card = page.locator("[data-campaign]").filter(has_text=code)
    expect(card).to_have_count(1)
    expect(card.get_by_role("heading")).to_contain_text("3 accounts on")
    for comment_id in ids:
        expect(card.locator(f'[data-member="{comment_id}"]')).to_have_count(1)
    assert serious_violations(page) == []

    card.get_by_label("Message to the authors (optional)").fill("Coordinated advertising.")
    card.get_by_role("button", name="Reject all").click()
    card = page.locator("[data-campaign]").filter(has_text=code)
    expect(card.locator(".badge.status")).to_have_text(["rejected"] * 3)
    for comment_id, author in zip(ids, authors, strict=True):
        mine = my_comments(demo_server, author)[comment_id]
        assert mine["status"] == "rejected"
        assert mine["reason"] == "Coordinated advertising."
