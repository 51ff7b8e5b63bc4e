"""A reader's thread is live: a comment published in another browser waits behind a "new
comments" button (the page does not jump), and changes to comments on screen apply in place."""

from __future__ import annotations

import re
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect
from tests.browser.test_desk_flow import call, moderator_token, register
from tests.browser.test_embed_cross_origin import BARE_PAGE, reader_token, write_page
from tests.browser.test_reader_flow import register as register_in_widget

from commentdesk.demo import STORY_URL

pytestmark = pytest.mark.browser


def test_new_comments_wait_behind_a_button_and_reactions_update_in_place(
    browser: Any, page: Any, demo_server: str
) -> None:
    page.goto(f"{demo_server}/")
    host = page.locator("#commentdesk-thread")
    thread = host
    expect(host).to_have_attribute("data-live", "on")
    first = thread.get_by_role("article").first
    respect_count = first.get_by_test_id("respect-count")
    before = int(respect_count.inner_text())
    first_id = int(first.evaluate("node => node.parentElement.dataset.commentId"))

    # Another reader, in another browser, publishes a comment and shows respect.
    writer = register(demo_server, "Live Writer")
    text = f"Published elsewhere just now {uuid.uuid4().hex[:6]}"
    call(demo_server, "POST", "/api/v1/comments", {"story_url": STORY_URL, "body": text}, writer)
    call(demo_server, "POST", f"/api/v1/comments/{first_id}/reactions", None, writer)

    button = thread.get_by_test_id("new-comments")
    expect(button).to_have_text("Show 1 new comment")
    expect(thread.get_by_test_id("announcer")).to_have_text("1 new comment")
    expect(thread.get_by_role("article").filter(has_text=text)).to_have_count(0)
    expect(respect_count).to_have_text(str(before + 1))

    button.click()
    expect(thread.get_by_role("article").filter(has_text=text)).to_have_count(1)
    expect(button).to_be_hidden()

    # A hidden tab closes the stream; coming back shows what was published meanwhile.
    page.evaluate(
        """() => {
            Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
            document.dispatchEvent(new Event('visibilitychange'));
        }"""
    )
    expect(host).to_have_attribute("data-live", "off")
    later = f"Posted while the tab was hidden {uuid.uuid4().hex[:6]}"
    call(demo_server, "POST", "/api/v1/comments", {"story_url": STORY_URL, "body": later}, writer)
    page.evaluate(
        """() => {
            Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
            document.dispatchEvent(new Event('visibilitychange'));
        }"""
    )
    expect(host).to_have_attribute("data-live", "on")
    expect(button).to_have_text("Show 1 new comment")
    button.click()
    expect(thread.get_by_role("article").filter(has_text=later)).to_have_count(1)


def test_editors_picks_stand_above_the_thread_and_lead_to_the_comment(
    page: Any, demo_server: str, moderator_login: tuple[str, str]
) -> None:
    writer = register(demo_server, "Picked Writer")
    text = f"A remark worth featuring {uuid.uuid4().hex[:6]}"
    posted = call(
        demo_server, "POST", "/api/v1/comments", {"story_url": STORY_URL, "body": text}, writer
    )
    editor = moderator_token(demo_server, moderator_login)
    call(
        demo_server,
        "POST",
        f"/api/v1/moderation/comments/{posted['id']}/decision",
        {"action": "feature"},
        editor,
    )
    page.goto(f"{demo_server}/")
    thread = page.locator("#commentdesk-thread")
    picks = thread.get_by_test_id("featured")
    expect(picks.get_by_role("heading", name="Editors' picks")).to_be_visible()
    expect(picks.get_by_test_id("featured-comment").filter(has_text=text)).to_have_count(1)
    in_thread = thread.locator(f'[data-comment-id="{posted["id"]}"]')
    expect(in_thread.get_by_test_id("featured-badge").first).to_have_text(" Editors' pick")
    picks.get_by_test_id("featured-comment").filter(has_text=text).get_by_role(
        "button", name="Go to the comment"
    ).click()
    expect(in_thread).to_have_class(re.compile(r"\bcd-linked\b"))


def test_deep_replies_continue_in_a_view_of_their_own(page: Any, demo_server: str) -> None:
    # Two readers take turns, as a real exchange does (and the site's rate limit expects).
    writers = [register(demo_server, "Deep Thinker"), register(demo_server, "Deeper Thinker")]
    parent_id = None
    bodies = []
    # Each says something else: near-repeats of one's own recent comments are refused.
    lines = [
        "The ferry timetable changed in March",
        "Nobody asked the island residents first",
        "There was a consultation, though a short one",
        "Three weeks over the holidays is hardly enough",
        "The operator says the winter crossings lose money",
        "Then the county should publish the accounts",
        "They did, in the appendix nobody reads",
    ]
    for level, line in enumerate(lines):
        body = f"{line} ({level}, {uuid.uuid4().hex[:6]})"
        payload: dict[str, Any] = {"story_url": STORY_URL, "body": body}
        if parent_id is not None:
            payload["parent_id"] = parent_id
        writer = writers[level % 2]
        parent_id = call(demo_server, "POST", "/api/v1/comments", payload, writer)["id"]
        bodies.append(body)

    page.goto(f"{demo_server}/")
    thread = page.locator("#commentdesk-thread")
    expect(thread.get_by_role("article").filter(has_text=bodies[4])).to_have_count(1)
    expect(thread.get_by_role("article").filter(has_text=bodies[5])).to_have_count(0)
    more = thread.get_by_role("button", name="Continue this thread (2 more replies)")
    more.click()
    expect(thread.get_by_role("article").filter(has_text=bodies[6])).to_have_count(1)
    expect(thread.get_by_role("article").filter(has_text=bodies[0])).to_have_count(0)
    back = thread.get_by_role("button", name="Back to the whole thread")
    expect(back).to_be_focused()
    back.click()
    expect(thread.get_by_role("article").filter(has_text=bodies[0])).to_have_count(1)
    expect(back).to_be_hidden()


def test_the_count_script_fills_twenty_links_with_one_request(
    page: Any, demo_server: str, host_site: Path, host_page_origin: str
) -> None:
    """A publisher's index page, on another origin, with 20 stories, each with its own number
    of comments."""
    # 30 comments in all, spread so no reader passes the site's 5-a-minute limit.
    readers = [register(demo_server, f"Index Reader {number}") for number in range(8)]
    turn = iter(range(1000))
    expected: dict[str, int] = {}
    for number in range(20):
        url = f"https://ledger.example/2026/11/index-story-{number}-{uuid.uuid4().hex[:6]}"
        request = urllib.request.Request(
            f"{demo_server}/api/v1/threads?{urllib.parse.urlencode({'url': url, 'title': 'S'})}",
            headers={"Origin": demo_server},
        )
        with urllib.request.urlopen(request, timeout=10):
            pass  # a first visit from an allowed origin creates the story
        expected[url] = number % 4
        for _ in range(number % 4):
            # Distinct words each time: the site refuses a reader's near-repeats.
            words = " ".join(uuid.uuid4().hex for _ in range(3))
            body = {"story_url": url, "body": f"On story {number}: {words}"}
            reader = readers[next(turn) % len(readers)]
            call(demo_server, "POST", "/api/v1/comments", body, reader)
    # The publisher's index page, on its own origin, with one count script.
    items = "\n".join(
        f'<li><a href="{url}">Story</a> <span data-commentdesk-count="{url}">Comments</span></li>'
        for url in expected
    )
    (host_site / "index.html").write_text(
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Index</title></head>"
        f"<body><ul>{items}</ul><script src='{demo_server}/widget/count.js' async></script>"
        "</body></html>"
    )
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{host_page_origin}/index.html")
    for url, count in expected.items():
        label = f"{count} comment{'' if count == 1 else 's'}"
        expect(page.locator(f'span[data-commentdesk-count="{url}"]')).to_have_text(label)
    assert len([url for url in requests if "/api/v1/counts" in url]) == 1


def test_a_closed_story_shows_its_thread_and_no_composer(
    page: Any,
    demo_server: str,
    moderator_login: tuple[str, str],
    sso_secret: str,
    host_site: Path,
    host_page_origin: str,
) -> None:
    editor = moderator_token(demo_server, moderator_login)
    query = urllib.parse.urlencode({"url": STORY_URL})
    story_id = call(demo_server, "GET", f"/api/v1/threads?{query}")["story"]["id"]
    modes = f"/api/v1/moderation/stories/{story_id}/modes"
    call(demo_server, "PUT", modes, {"is_closed": True}, editor)
    try:
        # A subscriber signed in by the publisher, on the publisher's page: still no composer.
        token = reader_token(sso_secret, subject=uuid.uuid4().hex[:10], name="Too Late Reader")
        page.goto(write_page(host_site, host_page_origin, "closed.html", demo_server, token))
        thread = page.locator("#commentdesk-thread")
        expect(thread.get_by_test_id("signed-in")).to_contain_text("Too Late Reader")
        expect(thread.get_by_test_id("closed")).to_have_text("Comments are closed on this story.")
        expect(thread.get_by_test_id("composer")).to_have_count(0)
        expect(thread.get_by_role("article").first).to_be_visible()
        expect(thread.get_by_role("button", name="Reply", exact=True)).to_have_count(0)
    finally:
        call(demo_server, "PUT", modes, {"is_closed": False}, editor)


def test_sort_load_more_exact_times_and_signing_out(
    page: Any, demo_server: str, host_site: Path, host_page_origin: str
) -> None:
    """A story with more top-level comments than one page, on the publisher's origin."""
    site_origin = "/".join(STORY_URL.split("/", 3)[:3])
    story = f"{site_origin}/2026/11/28/a-long-thread-{uuid.uuid4().hex[:6]}"
    query = urllib.parse.urlencode({"url": story, "title": "A long thread"})
    request = urllib.request.Request(
        f"{demo_server}/api/v1/threads?{query}", headers={"Origin": host_page_origin}
    )
    with urllib.request.urlopen(request, timeout=10):
        pass  # a first visit from an allowed page creates the story
    # 52 comments, five per reader at most (the demo's rate limit), each saying something new.
    readers = [register(demo_server, f"Long Thread Reader {number}") for number in range(11)]
    posted = []
    for number in range(52):
        words = " ".join(uuid.uuid4().hex for _ in range(3))
        body = {"story_url": story, "body": f"Point {number}: {words}"}
        posted.append(call(demo_server, "POST", "/api/v1/comments", body, readers[number // 5]))
    liked = posted[20]
    call(demo_server, "POST", f"/api/v1/comments/{liked['id']}/reactions", None, readers[-1])

    (host_site / "long.html").write_text(
        BARE_PAGE.format(story_url=story, server=demo_server, sso="", extra="")
    )
    page.goto(f"{host_page_origin}/long.html")
    thread = page.locator("#commentdesk-thread")
    articles = thread.get_by_role("article")
    expect(articles).to_have_count(50)  # one page, newest first
    expect(articles.first).to_contain_text(posted[-1]["html"][3:30])
    time = articles.first.locator("time")
    assert time.get_attribute("datetime") and time.get_attribute("title")  # exact on hover

    more = thread.get_by_test_id("load-more")
    more.click()
    expect(articles).to_have_count(52)
    expect(more).to_be_hidden()
    expect(articles.last).to_contain_text(posted[0]["html"][3:30])

    sort = thread.get_by_test_id("sort")
    sort.select_option("oldest")
    expect(articles.first).to_contain_text(posted[0]["html"][3:30])
    sort.select_option("top")
    expect(articles.first).to_contain_text(liked["html"][3:30])
    # "Best" shows what the server ranks most constructive first (the demo's own model decides).
    best_query = urllib.parse.urlencode({"url": story, "sort": "best", "limit": 1})
    best = call(demo_server, "GET", f"/api/v1/threads?{best_query}")["comments"][0]
    sort.select_option(label="Best")
    expect(articles.first).to_contain_text(best["html"][3:30])

    # A local reader signs in inside the widget, then out.
    register_in_widget(
        thread,
        name="Leaving Reader",
        email=f"leaving-{uuid.uuid4().hex[:8]}@example.org",
        password="correct horse battery",
    )
    thread.get_by_test_id("sign-out").click()
    expect(thread.get_by_test_id("signed-in")).to_have_count(0)
    expect(thread.get_by_test_id("show-sign-in")).to_be_visible()
    expect(thread.get_by_test_id("follow-story")).to_have_count(0)
