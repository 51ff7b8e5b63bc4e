"""The thread embedded in a publisher's page on another origin than the comment server, with the
publisher's single sign-on: a JWT in the embed's attribute, then `Commentdesk.login(token)`."""

from __future__ import annotations

import html
import threading
import time
import uuid
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect

from commentdesk.demo import SITE_SLUG, STORY_URL

pytestmark = pytest.mark.browser

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>The Ledger (host page)</title></head>
<body>
<main><h1>Keep the branch libraries open</h1><p>The story, on the publisher's own site.</p>
<div id="commentdesk-thread" data-story-url="{story_url}" data-story-title="Branch libraries"
     {sso}></div></main>
<script src="{server}/widget/embed.js" async></script>
</body></html>
"""


def reader_token(secret: str, *, subject: str, name: str) -> str:
    """What the publisher's backend signs for its signed-in reader."""
    claims = {
        "iss": SITE_SLUG,
        "aud": "commentdesk",
        "sub": subject,
        "name": name,
        "email": f"{subject}@subscribers.example",
        "exp": int(time.time()) + 600,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


@pytest.fixture
def host_site(tmp_path: Path, host_page_origin: str) -> Iterator[Path]:
    """A directory served as the publisher's site on the origin the demo allows."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    port = int(host_page_origin.rsplit(":", 1)[1])
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tmp_path
    finally:
        server.shutdown()
        server.server_close()


def write_page(
    directory: Path, origin: str, name: str, server: str, sso_token: str | None = None
) -> str:
    sso = f'data-sso-token="{html.escape(sso_token)}"' if sso_token else ""
    page = HOST_PAGE.format(story_url=STORY_URL, server=server, sso=sso)
    (directory / name).write_text(page)
    return f"{origin}/{name}"


def test_a_subscriber_signed_in_by_the_publisher_comments_from_another_origin(
    page: Any, demo_server: str, sso_secret: str, host_site: Path, host_page_origin: str
) -> None:
    subject = uuid.uuid4().hex[:10]
    token = reader_token(sso_secret, subject=subject, name="Subscriber Sam")
    page.goto(write_page(host_site, host_page_origin, "story.html", demo_server, token))
    thread = page.locator("#commentdesk-thread")

    # Signed in through the attribute's token; the thread loads across origins.
    expect(thread.get_by_test_id("signed-in")).to_contain_text("Subscriber Sam")
    expect(thread.get_by_test_id("policy")).to_be_visible()
    expect(thread.get_by_role("article").first).to_be_visible()

    text = f"Posted from the publisher's own page {uuid.uuid4().hex[:6]}"
    composer = thread.get_by_test_id("composer")
    composer.get_by_label("Join the conversation").fill(text)
    composer.get_by_role("button", name="Post").click()
    mine = thread.get_by_role("article").filter(has_text=text)
    expect(mine.get_by_test_id("comment-meta")).to_contain_text("Posted by Subscriber Sam")

    # The host page's reader changes: the host calls Commentdesk.login with a new token.
    other = reader_token(sso_secret, subject=uuid.uuid4().hex[:10], name="Subscriber Pat")
    page.evaluate("token => Commentdesk.login(token)", other)
    expect(thread.get_by_test_id("signed-in")).to_contain_text("Subscriber Pat")
    page.evaluate("() => Commentdesk.logout()")
    expect(thread.get_by_test_id("signed-in")).to_have_count(0)

    # A token the publisher did not sign is refused with a message, and the thread still reads.
    forged = reader_token("not-the-secret-" * 4, subject="intruder", name="Intruder")
    page.evaluate("token => Commentdesk.login(token)", forged)
    expect(thread.get_by_test_id("error")).to_contain_text("refused")
    expect(thread.get_by_test_id("signed-in")).to_have_count(0)
    expect(thread.get_by_role("article").filter(has_text=text)).to_have_count(1)


def test_the_widget_puts_one_name_on_the_host_page(
    page: Any, demo_server: str, host_site: Path, host_page_origin: str
) -> None:
    bare = host_site / "bare.html"
    bare.write_text(
        "<!doctype html><html lang='en'><head><title>x</title></head><body></body></html>"
    )
    page.goto(f"{host_page_origin}/bare.html")
    before = set(page.evaluate("() => Object.keys(window)"))
    page.goto(write_page(host_site, host_page_origin, "names.html", demo_server))
    expect(page.locator("#commentdesk-thread").get_by_role("article").first).to_be_visible()
    after = set(page.evaluate("() => Object.keys(window)"))
    assert after - before == {"Commentdesk"}
    assert page.evaluate("() => document.head.querySelectorAll('style').length") == 0
