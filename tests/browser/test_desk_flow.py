"""The editors' desk in real Chromium against the real demo server: a moderator signs in, works
the reported queue from the keyboard (approve, reject with a reason, undo), and sees a comment
posted from another browser arrive live; the author then sees the reason in `/threads/me`."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
import uuid
from typing import Any

import pytest

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect

from commentdesk.demo import STORY_URL

pytestmark = pytest.mark.browser


def call(base_url: str, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base_url + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def register(base_url: str, name: str) -> str:
    account = call(
        base_url,
        "POST",
        "/api/v1/auth/register",
        {
            "email": f"{uuid.uuid4().hex[:10]}@example.org",
            "password": "correct horse battery",
            "name": name,
        },
    )
    token: str = account["token"]
    return token


def moderator_token(base_url: str, login: tuple[str, str]) -> str:
    """A bearer token for the demo moderator, as another moderator's script would have."""
    signed_in = call(
        base_url, "POST", "/api/v1/auth/login", {"email": login[0], "password": login[1]}
    )
    token: str = signed_in["token"]
    return token


def my_comments(base_url: str, token: str) -> dict[int, dict[str, Any]]:
    query = urllib.parse.urlencode({"url": STORY_URL})
    mine = call(base_url, "GET", f"/api/v1/threads/me?{query}", token=token)
    return {comment["id"]: comment for comment in mine["comments"]}


def sign_in(page: Any, base_url: str, login: tuple[str, str], target: str) -> None:
    page.goto(f"{base_url}{target}")
    expect(page).to_have_url(f"{base_url}/desk/login?next={urllib.parse.quote(target, safe='')}")
    page.get_by_label("Email").fill(login[0])
    page.get_by_label("Password").fill(login[1])
    page.get_by_label("Password").press("Enter")
    expect(page).to_have_url(f"{base_url}{target}")
    expect(page.locator("body")).to_have_attribute("data-live", "on")


def test_moderator_works_the_reported_queue_from_the_keyboard(
    page: Any, demo_server: str, moderator_login: tuple[str, str]
) -> None:
    author = register(demo_server, "Keyboard Test Author")
    reporter = register(demo_server, "Keyboard Test Reporter")
    # Plain words: the spam model reads a bare "comment" as YouTube spam (see the model card).
    bodies = [f"Reported remark {number} {uuid.uuid4().hex[:6]}" for number in (1, 2)]
    ids = []
    for body in bodies:
        posted = call(
            demo_server, "POST", "/api/v1/comments", {"story_url": STORY_URL, "body": body}, author
        )
        ids.append(posted["id"])
        call(
            demo_server,
            "POST",
            f"/api/v1/comments/{posted['id']}/reports",
            {"reason": "abusive", "note": "Rude."},
            reporter,
        )

    sign_in(page, demo_server, moderator_login, "/desk/queues/reported?order=oldest")
    first, second = (page.locator(f"#item-{comment_id}") for comment_id in ids)
    expect(first).to_contain_text(bodies[0])
    expect(second).to_contain_text(bodies[1])
    reported_count = page.locator('header [data-count="reported"]')
    expect(reported_count).to_have_text("2")

    # j/k move between comments; the current one is marked and focused.
    page.keyboard.press("j")
    expect(second).to_be_focused()
    page.keyboard.press("k")
    expect(first).to_be_focused()

    # a approves: the comment leaves the reported queue and the count follows.
    page.keyboard.press("a")
    expect(first).to_have_count(0)
    expect(second).to_be_focused()
    expect(reported_count).to_have_text("1")

    # r rejects: a dialog asks for the reason (by number) and an optional message.
    page.keyboard.press("r")
    dialog = page.get_by_role("dialog", name=f"Reject comment {ids[1]}")
    expect(dialog).to_be_visible()
    page.keyboard.press("2")
    expect(dialog.get_by_role("radio", name="Spam")).to_be_checked()
    page.keyboard.press("Tab")
    expect(dialog.get_by_label("Message to the author")).to_be_focused()
    page.keyboard.type("Please do not advertise here.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(second).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text(f"Comment {ids[1]} rejected")
    rejected = my_comments(demo_server, author)[ids[1]]
    assert rejected["status"] == "rejected"
    assert rejected["reason"] == "Please do not advertise here."

    # u undoes it: the comment is back, published, with its report open again.
    page.keyboard.press("u")
    expect(second).to_contain_text(bodies[1])
    expect(second).to_be_focused()
    expect(reported_count).to_have_text("1")
    assert ids[1] not in my_comments(demo_server, author)  # public again, not only theirs
    assert call(demo_server, "GET", f"/api/v1/comments/{ids[1]}")["status"] == "approved"

    # Rejected for good, this time with the off-topic reason and its standard message.
    page.keyboard.press("r")
    page.keyboard.press("3")
    page.keyboard.press("Enter")
    expect(second).to_have_count(0)
    expect(page.get_by_text("Nothing waits here.")).to_be_visible()
    final = my_comments(demo_server, author)[ids[1]]
    assert final["status"] == "rejected"
    assert final["reason"] == "Removed by the editors: it does not advance the story."


def test_a_comment_from_another_browser_arrives_live(
    browser: Any, page: Any, demo_server: str, moderator_login: tuple[str, str]
) -> None:
    sign_in(page, demo_server, moderator_login, "/desk/queues/unmoderated?order=newest")
    unmoderated = page.locator('header [data-count="unmoderated"]')
    before = int(unmoderated.inner_text())

    reader_context = browser.new_context()
    try:
        reader = reader_context.new_page()
        reader.goto(f"{demo_server}/")
        thread = reader.locator("#commentdesk-thread")
        thread.get_by_role("button", name="Register").click()
        form = thread.get_by_test_id("register-form")
        form.get_by_label("Name").fill("Live Reader")
        form.get_by_label("Email").fill(f"live-{uuid.uuid4().hex[:8]}@example.org")
        form.get_by_label("Password").fill("correct horse battery")
        form.get_by_role("button", name="Create account").click()
        expect(thread.get_by_test_id("signed-in")).to_contain_text("Live Reader")
        text = f"Posted from another browser {uuid.uuid4().hex[:6]}"
        composer = thread.get_by_test_id("composer")
        composer.get_by_label("Join the conversation").fill(text)
        composer.get_by_role("button", name="Post").click()
        expect(thread.get_by_role("article").filter(has_text=text)).to_have_count(1)
    finally:
        reader_context.close()

    # No reload: the new comment is listed first and the count goes up.
    arrived = page.locator("[data-item]").first
    expect(arrived).to_contain_text(text)
    expect(arrived).to_contain_text("Live Reader")
    expect(unmoderated).to_have_text(str(before + 1))
    expect(page.get_by_role("status")).to_contain_text("New comment")

    # Another moderator (here through the API) approves it: it has now been seen by a person,
    # so it leaves this page's unmoderated list, again without a reload.
    comment_id = int(arrived.get_attribute("data-comment-id") or 0)
    editor = moderator_token(demo_server, moderator_login)
    call(
        demo_server,
        "POST",
        f"/api/v1/moderation/comments/{comment_id}/decision",
        {"action": "approve"},
        editor,
    )
    expect(page.locator(f"#item-{comment_id}")).to_have_count(0)
    expect(unmoderated).to_have_text(str(before))
