"""A new reader's first visit to the demo story, driven through the embed in real Chromium."""

import re
import uuid
from typing import Any

import pytest

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

COUNT_TEXT = re.compile(r"^(\d+) comments?$")


def comment_count(thread: Any) -> int:
    heading = thread.get_by_test_id("comment-count")
    expect(heading).to_have_text(COUNT_TEXT)
    match = COUNT_TEXT.match(heading.inner_text().strip())
    assert match is not None
    return int(match.group(1))


def register(thread: Any, *, name: str, email: str, password: str) -> None:
    thread.get_by_role("button", name="Register").click()
    form = thread.get_by_test_id("register-form")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Create account").click()
    expect(thread.get_by_test_id("signed-in")).to_contain_text(name)


def test_new_reader_registers_posts_replies_reacts_and_reports(page: Any, demo_server: str) -> None:
    page.goto(f"{demo_server}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    thread = page.locator("#commentdesk-thread")

    # The seeded thread, with the site's policy, is visible to an anonymous reader.
    seeded = thread.get_by_role("article")
    expect(seeded.first).to_be_visible()
    expect(seeded.first.get_by_test_id("comment-meta")).to_contain_text(
        re.compile(r"^Posted by .+ \| .+")
    )
    expect(seeded.first.get_by_role("button", name="Report as abusive")).to_be_visible()
    expect(thread.get_by_test_id("policy")).to_be_visible()
    count_before = comment_count(thread)
    assert count_before >= seeded.count() > 0
    target_id = seeded.first.evaluate("node => node.parentElement.dataset.commentId")
    target = thread.locator(f'li[data-comment-id="{target_id}"] > article')

    name = "Ada Lovelace-Reader"
    register(
        thread,
        name=name,
        email=f"ada-{uuid.uuid4().hex[:8]}@example.org",
        password="correct horse battery",
    )

    # A new top-level comment appears at once, credited to the reader, and is counted.
    comment_text = (
        f"First time commenting: the bridge figures deserve scrutiny. {uuid.uuid4().hex[:6]}"
    )
    composer = thread.get_by_test_id("composer")
    composer.get_by_label("Join the conversation").fill(comment_text)
    composer.get_by_role("button", name="Post").click()
    mine = thread.get_by_role("article").filter(has_text=comment_text)
    expect(mine).to_have_count(1)
    expect(mine.get_by_test_id("comment-meta")).to_contain_text(f"Posted by {name}")
    expect(mine.get_by_test_id("awaiting-review")).to_have_count(0)
    expect(composer.get_by_label("Join the conversation")).to_have_value("")
    assert comment_count(thread) == count_before + 1

    # A reply nests under the comment it answers.
    reply_text = f"Replying to you: which figures do you mean? {uuid.uuid4().hex[:6]}"
    target.get_by_role("button", name="Reply").click()
    reply_form = target.get_by_test_id("reply-form")
    reply_form.get_by_role("textbox").fill(reply_text)
    reply_form.get_by_role("button", name="Post reply").click()
    reply = thread.locator(f'li[data-comment-id="{target_id}"] > ol > li').filter(
        has_text=reply_text
    )
    expect(reply).to_have_count(1)
    expect(reply.get_by_test_id("comment-meta")).to_contain_text(f"Posted by {name}")
    expect(reply_form).to_have_count(0)

    # "Respect" toggles on someone else's comment, and the count follows.
    respect = target.get_by_test_id("respect")
    respect_count = int(respect.get_by_test_id("respect-count").inner_text())
    respect.click()
    expect(respect.get_by_test_id("respect-count")).to_have_text(str(respect_count + 1))
    expect(respect).to_have_attribute("aria-pressed", "true")
    respect.click()
    expect(respect.get_by_test_id("respect-count")).to_have_text(str(respect_count))
    expect(respect).to_have_attribute("aria-pressed", "false")
    respect.click()
    expect(respect.get_by_test_id("respect-count")).to_have_text(str(respect_count + 1))

    # Reporting asks for a reason, then thanks the reader instead of offering the link again.
    target.get_by_role("button", name="Report as abusive").click()
    dialog = thread.get_by_role("dialog", name="Report a comment")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Spam").check()
    dialog.get_by_label("Note for the moderators (optional)").fill("Same link posted three times.")
    dialog.get_by_role("button", name="Send report").click()
    expect(dialog).to_be_hidden()
    expect(target.get_by_text("Reported — thank you")).to_be_visible()
    expect(target.get_by_role("button", name="Report as abusive")).to_have_count(0)

    # After a reload the reader is signed out (token in memory) but both posts persist.
    page.reload()
    expect(thread.get_by_role("article").filter(has_text=comment_text)).to_have_count(1)
    expect(reply).to_have_count(1)
    expect(thread.get_by_role("button", name="Sign in")).to_be_visible()
    expect(thread.get_by_test_id("signed-in")).to_have_count(0)
    expect(target.get_by_test_id("respect-count")).to_have_text(str(respect_count + 1))
    assert comment_count(thread) == count_before + 2


def test_count_script_fills_in_counts_with_one_request(page: Any, demo_server: str) -> None:
    page.goto(f"{demo_server}/")
    thread = page.locator("#commentdesk-thread")
    count = comment_count(thread)
    story_url = thread.get_attribute("data-story-url")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    page.evaluate(
        """([storyUrl, scriptSrc]) => {
            const links = document.createElement('p');
            for (const url of [storyUrl, 'https://example.invalid/never-commented', storyUrl]) {
                const span = document.createElement('span');
                span.dataset.commentdeskCount = url;
                span.textContent = 'Comments';
                links.append(span);
            }
            document.body.prepend(links);
            const script = document.createElement('script');
            script.src = scriptSrc;
            document.body.append(script);
        }""",
        [story_url, f"{demo_server}/widget/count.js"],
    )
    counted = page.locator("[data-commentdesk-count]")
    expect(counted.nth(0)).to_have_text(f"{count} comment{'' if count == 1 else 's'}")
    expect(counted.nth(1)).to_have_text("0 comments")
    expect(counted.nth(2)).to_have_text(counted.nth(0).inner_text())
    assert len([url for url in requests if "/api/v1/counts" in url]) == 1
