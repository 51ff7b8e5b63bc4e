"""The thread embedded in a publisher's page on another origin than the comment server, with the
publisher's single sign-on: a JWT in the embed's attribute, then `Commentdesk.login(token)`."""

from __future__ import annotations

import html
import io
import json
import re
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import jwt
import pytest
from PIL import Image, ImageChops

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect
from tests.browser.test_desk_accessibility import serious_violations

from commentdesk.demo import SITE_SLUG, STORY_URL

pytestmark = pytest.mark.browser

BARE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bare host page</title></head>
<body><div id="commentdesk-thread" data-story-url="{story_url}" {sso}></div>
{extra}
<script src="{server}/widget/embed.js" async></script>
</body></html>
"""
HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>The Ledger (host page)</title></head>
<body>
<main><h1>Keep the branch libraries open</h1><p>The story, on the publisher's own site.</p>
<div id="commentdesk-thread" data-story-url="{story_url}" data-story-title="Branch libraries"
     {sso}></div></main>
{extra}
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


def write_page(
    directory: Path,
    origin: str,
    name: str,
    server: str,
    sso_token: str | None = None,
    *,
    attributes: str = "",
    extra: str = "",
    template: str = HOST_PAGE,
) -> str:
    sso = f'data-sso-token="{html.escape(sso_token)}"' if sso_token else ""
    page = template.format(
        story_url=STORY_URL, server=server, sso=f"{sso} {attributes}", extra=extra
    )
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


# What an aggressive host stylesheet does to everything it can reach.
HOSTILE_CSS = """<style>
* { color: #ff00ff !important; font: italic 900 23px/3 "Comic Sans MS", cursive !important;
    letter-spacing: 4px !important; text-transform: uppercase !important;
    text-align: right !important; word-spacing: 9px !important; }
p, h1, h2, ol, ul, li, section, article, button, input, textarea, select, a, time, strong {
    margin: 40px !important; padding: 25px !important; border: 6px dotted lime !important;
    background: yellow !important; display: inline !important; }
body { background: #222 !important; }
</style>"""


def pixels_changed(first: Image.Image, second: Image.Image, dx: int, dy: int) -> tuple[int, int]:
    """How many pixels differ clearly when `second` is shifted by (dx, dy), of how many."""
    width = min(first.width, second.width) - 2
    height = min(first.height, second.height) - 2
    left = first.convert("RGB").crop((1, 1, 1 + width, 1 + height))
    right = second.convert("RGB").crop((1 + dx, 1 + dy, 1 + dx + width, 1 + dy + height))
    difference = ImageChops.difference(left, right).convert("L")
    return difference.point(lambda value: 255 if value > 48 else 0).histogram()[255], width * height


def widget_picture(page: Any, url: str) -> Image.Image:
    page.goto(url)
    host = page.locator("#commentdesk-thread")
    expect(host).to_have_attribute("data-live", "on")
    expect(host.get_by_role("article").first).to_be_visible()
    return Image.open(io.BytesIO(host.locator("section.cd").screenshot(animations="disabled")))


def test_hostile_host_css_does_not_change_the_widget(
    page: Any, demo_server: str, host_site: Path, host_page_origin: str
) -> None:
    plain = widget_picture(
        page, write_page(host_site, host_page_origin, "plain.html", demo_server, template=BARE_PAGE)
    )
    hostile = widget_picture(
        page,
        write_page(
            host_site,
            host_page_origin,
            "hostile.html",
            demo_server,
            extra=HOSTILE_CSS,
            template=BARE_PAGE,
        ),
    )
    # The host's layout may put the widget at a fractional offset: compare at the best of the
    # one-pixel shifts, so anti-aliasing is not mistaken for a change.
    assert abs(hostile.width - plain.width) <= 1 and abs(hostile.height - plain.height) <= 1
    changed, box = min(
        pixels_changed(plain, hostile, dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)
    )
    assert changed / box < 0.01, f"{changed} of {box} pixels differ"


def test_hosts_theme_the_widget_with_css_variables_and_a_dark_mode(
    page: Any, demo_server: str, host_site: Path, host_page_origin: str
) -> None:
    themed = "<style>#commentdesk-thread { --cd-text: rgb(1, 2, 3); --cd-radius: 9px; }</style>"
    page.goto(write_page(host_site, host_page_origin, "themed.html", demo_server, extra=themed))
    widget = page.locator("#commentdesk-thread section.cd")
    expect(widget).to_have_css("color", "rgb(1, 2, 3)")
    expect(page.locator("#commentdesk-thread button").first).to_have_css("border-radius", "9px")
    page.goto(
        write_page(
            host_site, host_page_origin, "dark.html", demo_server, attributes='data-theme="dark"'
        )
    )
    expect(widget).to_have_css("background-color", "rgb(22, 22, 22)")
    expect(widget).to_have_css("color", "rgb(236, 236, 236)")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_thread_passes_axe_in_both_themes(
    page: Any,
    demo_server: str,
    sso_secret: str,
    host_site: Path,
    host_page_origin: str,
    theme: str,
) -> None:
    token = reader_token(sso_secret, subject=f"axe-{theme}", name=f"Axe {theme.title()}")
    page.goto(
        write_page(
            host_site,
            host_page_origin,
            f"axe-{theme}.html",
            demo_server,
            token,
            attributes=f'data-theme="{theme}"',
        )
    )
    thread = page.locator("#commentdesk-thread")
    expect(thread.get_by_test_id("signed-in")).to_be_visible()
    expect(thread.get_by_role("article").first).to_be_visible()
    assert serious_violations(page) == []
    thread.get_by_role("button", name="Report as abusive").first.click()
    expect(thread.get_by_role("dialog", name="Report a comment")).to_be_visible()
    assert serious_violations(page) == []


def test_drafts_survive_a_reload_and_links_lead_to_a_comment(
    page: Any, demo_server: str, sso_secret: str, host_site: Path, host_page_origin: str
) -> None:
    token = reader_token(sso_secret, subject="drafter", name="Drafting Dana")
    url = write_page(host_site, host_page_origin, "draft.html", demo_server, token)
    page.goto(url)
    thread = page.locator("#commentdesk-thread")
    box = thread.get_by_test_id("composer").get_by_label("Join the conversation")
    draft = "A long thought about the branch libraries. " * 107  # 4,601 characters
    box.fill(draft)
    expect(thread.get_by_test_id("composer").get_by_test_id("counter")).to_have_text(
        "399 characters left"
    )
    page.reload()
    expect(thread.get_by_test_id("signed-in")).to_contain_text("Drafting Dana")
    expect(box).to_have_value(draft)
    box.fill("")

    # Share copies the comment's permalink; opening it scrolls to the comment and marks it.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=host_page_origin)
    last = thread.locator("[data-testid=comment]").last
    comment_id = last.get_attribute("data-comment-id")
    last.get_by_test_id("share").first.click()
    expect(last.get_by_test_id("share").first).to_have_text("Link copied")
    assert page.evaluate("() => navigator.clipboard.readText()") == (
        f"{STORY_URL}#comment-{comment_id}"
    )
    page.goto(f"{url}#comment-{comment_id}")
    linked = thread.locator(f'[data-comment-id="{comment_id}"]')
    expect(linked).to_have_class(re.compile(r"\bcd-linked\b"))
    expect(linked.locator("> .cd-main")).to_be_focused()
    expect(linked).to_be_in_viewport()


def test_the_nudge_explains_the_policy_before_posting_and_lets_the_reader_choose(
    page: Any, demo_server: str, sso_secret: str, host_site: Path, host_page_origin: str
) -> None:
    token = reader_token(sso_secret, subject=uuid.uuid4().hex[:10], name="Nudged Nell")
    page.goto(write_page(host_site, host_page_origin, "nudge.html", demo_server, token))
    thread = page.locator("#commentdesk-thread")
    composer = thread.get_by_test_id("composer")
    text = f"This budget is a scam from start to finish {uuid.uuid4().hex[:6]}"
    composer.get_by_label("Join the conversation").fill(text)
    composer.get_by_role("button", name="Post").click()

    nudge = composer.get_by_test_id("nudge")
    expect(nudge).to_be_visible()
    expect(nudge).to_contain_text("This may break our comment policy")
    expect(thread.get_by_role("article").filter(has_text=text)).to_have_count(0)
    expect(nudge.get_by_role("button", name="Edit my comment")).to_be_focused()

    nudge.get_by_role("button", name="Post anyway").click()
    mine = thread.get_by_role("article").filter(has_text=text)
    expect(mine).to_have_count(1)
    expect(mine.get_by_test_id("awaiting-review")).to_be_visible()
    expect(nudge).to_be_hidden()


@pytest.mark.parametrize(
    ("locale", "sign_in", "count_word", "ago"),
    [("es", "Iniciar sesión", "comentarios", "hace"), ("de", "Anmelden", "Kommentare", "vor")],
)
def test_the_thread_speaks_the_readers_language(
    page: Any,
    demo_server: str,
    host_site: Path,
    host_page_origin: str,
    locale: str,
    sign_in: str,
    count_word: str,
    ago: str,
) -> None:
    page.goto(
        write_page(
            host_site,
            host_page_origin,
            f"{locale}.html",
            demo_server,
            attributes=f'data-locale="{locale}"',
        )
    )
    thread = page.locator("#commentdesk-thread")
    expect(thread.get_by_role("button", name=sign_in)).to_be_visible()
    expect(thread.get_by_test_id("comment-count")).to_contain_text(count_word)
    # The seeded conversation is hours old: "hace 3 horas", "vor 3 Stunden".
    expect(thread.locator("time").filter(has_text=re.compile(rf"^{ago} ")).first).to_be_visible()
    expect(thread.locator("section.cd")).to_have_attribute("lang", locale)


def test_the_composer_formats_markdown_and_previews_it_as_posted(
    page: Any, demo_server: str, sso_secret: str, host_site: Path, host_page_origin: str
) -> None:
    token = reader_token(sso_secret, subject="formatter", name="Formatting Fran")
    page.goto(write_page(host_site, host_page_origin, "markup.html", demo_server, token))
    composer = page.locator("#commentdesk-thread").get_by_test_id("composer")
    box = composer.get_by_label("Join the conversation")
    box.fill("The budget ")
    box.press("End")
    composer.get_by_role("button", name="Bold").click()
    expect(box).to_have_value("The budget **text**")
    box.fill("See the **appendix** and <img src=x onerror=alert(1)>")
    composer.get_by_role("button", name="Preview").click()
    preview = composer.get_by_test_id("preview")
    expect(preview.locator("strong")).to_have_text("appendix")
    expect(preview.locator("img")).to_have_count(0)
    expect(box).to_be_hidden()
    composer.get_by_role("button", name="Write").click()
    expect(box).to_be_visible()
    expect(box).to_have_value("See the **appendix** and <img src=x onerror=alert(1)>")


def test_a_reader_posts_with_the_keyboard_alone(
    page: Any, demo_server: str, sso_secret: str, host_site: Path, host_page_origin: str
) -> None:
    token = reader_token(sso_secret, subject=uuid.uuid4().hex[:10], name="Keyboard Kim")
    page.goto(write_page(host_site, host_page_origin, "keys.html", demo_server, token))
    thread = page.locator("#commentdesk-thread")
    expect(thread.get_by_test_id("signed-in")).to_contain_text("Keyboard Kim")
    box = thread.get_by_test_id("composer").get_by_label("Join the conversation")
    # From the top of the page, Tab alone reaches the composer.
    page.locator("body").focus()
    for _ in range(30):
        page.keyboard.press("Tab")
        if box.evaluate("node => node.getRootNode().activeElement === node"):
            break
    expect(box).to_be_focused()
    text = f"Typed and sent without a mouse {uuid.uuid4().hex[:6]}"
    page.keyboard.type(text)
    page.keyboard.press("Tab")  # past the character count to the Post button
    expect(thread.get_by_test_id("composer").get_by_role("button", name="Post")).to_be_focused()
    page.keyboard.press("Enter")
    expect(thread.get_by_role("article").filter(has_text=text)).to_have_count(1)


def test_the_widget_sends_the_story_text_the_publisher_marks(
    page: Any, demo_server: str, host_site: Path, host_page_origin: str
) -> None:
    site_origin = STORY_URL.split("/", 3)[:3]
    fresh = "/".join(site_origin) + f"/2026/11/28/text-from-the-page-{uuid.uuid4().hex[:6]}"
    article = (
        '<article id="story-body"><p>The council voted to keep the branch libraries open '
        "on Sundays.</p></article>"
    )
    page_html = BARE_PAGE.format(
        story_url=fresh,
        server=demo_server,
        sso='data-story-text-selector="#story-body"',
        extra=article,
    )
    (host_site / "with-text.html").write_text(page_html)

    def has_text() -> bool:
        query = urllib.parse.urlencode({"url": fresh})
        with urllib.request.urlopen(f"{demo_server}/api/v1/threads?{query}", timeout=10) as reply:
            return bool(json.loads(reply.read())["story"]["has_text"])

    with page.expect_response(lambda response: "/threads/story-text" in response.url) as sent:
        page.goto(f"{host_page_origin}/with-text.html")
    assert sent.value.status == 200 and sent.value.json() == {"stored": True}
    assert has_text()
    # The next reader's widget sees the text is known and sends nothing.
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.reload()
    expect(page.locator("#commentdesk-thread").get_by_test_id("comment-count")).to_have_text(
        "0 comments"
    )
    assert not [url for url in requests if "/threads/story-text" in url]
