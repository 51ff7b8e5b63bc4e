"""The desk is usable by keyboard and assistive technology: axe-core (WCAG 2.2 A and AA rules)
finds no serious or critical problem on any desk page, and the keyboard focus is visible."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_desk_flow import call, register, sign_in

from commentdesk.demo import STORY_URL

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def serious_violations(page: Any) -> list[str]:
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make test does)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page whose context lets axe-core in past the desk's Content-Security-Policy (which
    allows no injected script); everything else is as in the other browser tests."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    yield page
    context.close()
    assert script_errors == [], f"uncaught errors in the page: {script_errors}"


def test_every_desk_page_passes_axe_and_shows_keyboard_focus(
    page: Any, demo_server: str, moderator_login: tuple[str, str]
) -> None:
    page.goto(f"{demo_server}/desk/login")
    assert serious_violations(page) == []

    author = register(demo_server, "Axe Test Author")
    posted = call(
        demo_server,
        "POST",
        "/api/v1/comments",
        {"story_url": STORY_URL, "body": "Checked by axe."},
        author,
    )
    sign_in(page, demo_server, moderator_login, "/desk/queues/approved")
    item = page.locator("[data-item]").first
    expect(item).to_be_visible()
    page.keyboard.press("j")
    focused_outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert focused_outline not in ("none", ""), "the focused comment shows no outline"
    assert serious_violations(page) == []

    thread = call(demo_server, "GET", f"/api/v1/threads?{urlencode({'url': STORY_URL})}")
    paths = [
        "/desk/queues/pending",
        f"/desk/comments/{posted['id']}",
        "/desk/audit",
        "/desk/search?q=library",
        f"/desk/sites/{thread['site']['id']}/settings",
        f"/desk/sites/{thread['site']['id']}/assistant",
        f"/desk/sites/{thread['site']['id']}/picks",
        f"/desk/stories/{thread['story']['id']}",
    ]
    for path in paths:
        page.goto(f"{demo_server}{path}")
        assert serious_violations(page) == [], path

    account_link = page.locator("[data-item] .standing a").first
    account_link.click()
    expect(page.get_by_role("heading", level=2, name="Act on this account")).to_be_visible()
    assert serious_violations(page) == []

    # The help and reject dialogs are reachable and named, and Escape returns to the list.
    page.goto(f"{demo_server}/desk/queues/approved")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard")).to_be_visible()
    assert serious_violations(page) == []
    page.keyboard.press("Escape")
    page.keyboard.press("r")
    expect(page.get_by_role("dialog", name="Reject comment")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("[data-item].is-current")).to_be_focused()
