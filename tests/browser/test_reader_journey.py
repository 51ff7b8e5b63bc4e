"""A reader's whole journey through the thread embedded in a publisher's page on another origin
than the comment server: register, post, edit, reply, react, report, follow, come back to what is
new for them, delete; meanwhile another reader's browser sees their comment arrive live."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect
from tests.browser.test_desk_accessibility import serious_violations
from tests.browser.test_desk_flow import call, register
from tests.browser.test_embed_cross_origin import write_page
from tests.browser.test_reader_flow import register as register_in_widget

from commentdesk.demo import STORY_URL

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def sign_in_in_widget(thread: Any, email: str) -> None:
    thread.get_by_test_id("show-sign-in").click()
    form = thread.get_by_test_id("sign-in-form")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    expect(thread.get_by_test_id("signed-in")).to_be_visible()


def comment_in(thread: Any, comment_id: int) -> Any:
    return thread.locator(f'li[data-comment-id="{comment_id}"] > article')


def test_a_reader_comments_follows_and_comes_back_to_their_replies(
    open_page: Any, demo_server: str, host_site: Path, host_page_origin: str
) -> None:
    host_page = write_page(host_site, host_page_origin, "journey.html", demo_server)
    page, onlooker = open_page(), open_page()
    page.goto(host_page)
    onlooker.goto(host_page)
    thread = page.locator("#commentdesk-thread")
    watching = onlooker.locator("#commentdesk-thread")
    expect(watching).to_have_attribute("data-live", "on")

    seeded = thread.get_by_role("article")
    expect(seeded.first).to_be_visible()
    followed_id = int(seeded.nth(0).evaluate("node => node.parentElement.dataset.commentId"))
    reported_id = int(seeded.nth(1).evaluate("node => node.parentElement.dataset.commentId"))
    followed, reported = comment_in(thread, followed_id), comment_in(thread, reported_id)

    name = f"Journey Reader {uuid.uuid4().hex[:4]}"
    email = f"journey-{uuid.uuid4().hex[:8]}@example.org"
    register_in_widget(thread, name=name, email=email, password=PASSWORD)
    expect(thread.get_by_test_id("activity")).to_be_hidden()  # nothing new for a new reader

    # Post; the other reader's browser gets it behind the button, not pushed into the page.
    text = f"The branch hours matter more than the buildings {uuid.uuid4().hex[:6]}"
    composer = thread.get_by_test_id("composer")
    composer.get_by_label("Join the conversation").fill(text)
    composer.get_by_role("button", name="Post").click()
    mine = thread.get_by_role("article").filter(has_text=text)
    expect(mine.get_by_test_id("comment-meta")).to_contain_text(f"Posted by {name}")
    mine_id = int(mine.evaluate("node => node.parentElement.dataset.commentId"))
    fresh = watching.get_by_test_id("new-comments")
    expect(fresh).to_have_text("Show 1 new comment")
    expect(watching.get_by_role("article").filter(has_text=text)).to_have_count(0)
    fresh.click()
    expect(watching.get_by_role("article").filter(has_text=text)).to_have_count(1)

    # Edit within the window: the new text, marked as edited, for both readers.
    mine.get_by_test_id("edit").click()
    editor = mine.get_by_test_id("edit-form")
    edited = text.replace("matter more", "matter far more")
    editor.get_by_role("textbox").fill(edited)
    editor.get_by_role("button", name="Save").click()
    mine = comment_in(thread, mine_id)
    expect(mine.get_by_test_id("comment-body")).to_have_text(edited)
    expect(mine.get_by_test_id("comment-meta")).to_contain_text("(edited)")
    expect(comment_in(watching, mine_id).get_by_test_id("comment-body")).to_have_text(edited)

    # Reply, react, report with a reason.
    followed.get_by_test_id("reply").click()
    reply_form = followed.get_by_test_id("reply-form")
    my_reply_text = f"Which branches, exactly? {uuid.uuid4().hex[:6]}"
    reply_form.get_by_role("textbox").fill(my_reply_text)
    reply_form.get_by_role("button", name="Post reply").click()
    my_reply = thread.get_by_role("article").filter(has_text=my_reply_text)
    expect(my_reply).to_have_count(1)
    my_reply_id = int(my_reply.evaluate("node => node.parentElement.dataset.commentId"))

    # Respect from the keyboard: the count follows and focus stays on the button.
    respect = followed.get_by_test_id("respect")
    before = int(respect.get_by_test_id("respect-count").inner_text())
    respect.focus()
    page.keyboard.press("Enter")
    expect(respect).to_have_attribute("aria-pressed", "true")
    expect(respect.get_by_test_id("respect-count")).to_have_text(str(before + 1))
    expect(respect).to_be_focused()

    # The report dialog keeps focus inside while open and gives it back when closed.
    report_button = reported.get_by_role("button", name="Report as abusive")
    report_button.focus()
    page.keyboard.press("Enter")
    dialog = thread.get_by_role("dialog", name="Report a comment")
    expect(dialog).to_be_visible()
    inside = "host => Boolean(host.shadowRoot.activeElement?.closest('dialog'))"
    for key in ["Tab"] * 8 + ["Shift+Tab"] * 8:
        page.keyboard.press(key)
        assert thread.evaluate(inside), "focus left the open dialog"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(report_button).to_be_focused()
    report_button.click()
    dialog.get_by_label("Off topic").check()
    dialog.get_by_label("Note for the moderators (optional)").fill("About another story.")
    dialog.get_by_role("button", name="Send report").click()
    expect(reported.get_by_text("Reported — thank you")).to_be_focused()

    # Follow the story and the first comment's replies.
    follow_story = thread.get_by_test_id("follow-story")
    expect(follow_story).to_have_attribute("aria-pressed", "false")
    follow_story.click()
    expect(follow_story).to_have_attribute("aria-pressed", "true")
    follow_replies = followed.get_by_test_id("follow-replies")
    follow_replies.click()
    expect(follow_replies).to_have_attribute("aria-pressed", "true")

    # Other readers answer: a reply to the reader, one in the followed thread, one new comment.
    other = register(demo_server, "Answering Reader")
    posted = {
        kind: call(demo_server, "POST", "/api/v1/comments", body, other)["id"]
        for kind, body in (
            (
                "reply",
                {"story_url": STORY_URL, "body": "Opening hours, yes.", "parent_id": mine_id},
            ),
            ("thread", {"story_url": STORY_URL, "body": "Same here.", "parent_id": followed_id}),
            ("story", {"story_url": STORY_URL, "body": f"A new angle {uuid.uuid4().hex[:6]}"}),
        )
    }

    # The reader comes back (a reload signs them out) and signs in: what is new for them, with
    # the follow state remembered.
    page.reload()
    sign_in_in_widget(thread, email)
    activity = thread.get_by_test_id("activity")
    expect(activity).to_be_visible()
    expect(activity.get_by_role("heading")).to_have_text("Since your last visit")
    news = activity.get_by_test_id("activity-item")
    expect(news).to_have_count(3)
    expect(news.nth(0)).to_contain_text("Answering Reader commented on a story you follow")
    expect(news.nth(1)).to_contain_text("Answering Reader replied in a thread you follow")
    expect(news.nth(2)).to_contain_text("Answering Reader replied to you")
    expect(news.nth(2)).to_contain_text("Opening hours, yes.")
    expect(thread.get_by_test_id("follow-story")).to_have_attribute("aria-pressed", "true")
    expect(followed.get_by_test_id("follow-replies")).to_have_attribute("aria-pressed", "true")
    assert serious_violations(page) == []  # the news box and the follow buttons included

    # Its link stays on the publisher's page and leads to the reply.
    news.nth(2).get_by_test_id("activity-go").click()
    assert page.url.startswith(host_page)
    expect(thread.locator(f'li[data-comment-id="{posted["reply"]}"].cd-linked')).to_be_visible()

    # Marked as read, the news is gone, and stays gone on the next visit.
    activity.get_by_test_id("activity-read").click()
    expect(activity).to_be_hidden()
    page.goto(host_page)
    sign_in_in_widget(thread, email)
    expect(thread.get_by_test_id("follow-story")).to_have_attribute("aria-pressed", "true")
    expect(activity).to_be_hidden()

    # Delete: the comment with a reply stays as a tombstone; the reply without one goes.
    mine = comment_in(thread, mine_id)
    mine.get_by_test_id("delete").click()
    mine.get_by_test_id("confirm-delete").click()
    expect(
        thread.locator(f'li[data-comment-id="{mine_id}"]').get_by_test_id("tombstone")
    ).to_be_visible()
    expect(thread.get_by_role("article").filter(has_text=edited)).to_have_count(0)
    my_reply = comment_in(thread, my_reply_id)
    my_reply.get_by_test_id("delete").click()
    my_reply.get_by_test_id("confirm-delete").click()
    expect(thread.locator(f'li[data-comment-id="{my_reply_id}"]')).to_have_count(0)
    expect(comment_in(watching, my_reply_id)).to_have_count(0)  # gone live for the other reader
