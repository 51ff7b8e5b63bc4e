"""The editors' desk (/desk/) through the in-process client: sign-in, cookie and CSRF defences,
decisions by form and by script, undo, pages in context, settings, and who may reach what."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from commentdesk.accounts import passwords
from commentdesk.accounts import service as accounts
from commentdesk.accounts.models import Account, Role
from commentdesk.moderation import queues
from commentdesk.sites import service as sites
from commentdesk.sites.models import Site
from tests.conftest import STORY_URL, Reader

ORIGIN = "http://testserver"
JSON = {"Accept": "application/json", "Origin": ORIGIN}
CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')


class Desk:
    """A browser signed in to the desk: its cookies live in the client, its CSRF token here."""

    def __init__(self, client: TestClient, csrf: str) -> None:
        self.client = client
        self.csrf = csrf

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, follow_redirects=False, **kwargs)

    def post(self, path: str, data: dict[str, Any], *, as_json: bool = True) -> Any:
        headers = JSON if as_json else {"Origin": ORIGIN}
        return self.client.post(
            path, data={"csrf": self.csrf, **data}, headers=headers, follow_redirects=False
        )


def make_staff(db: Session, now: datetime, role: Role, email: str) -> Account:
    account = accounts.create_account(
        db,
        email=email,
        password_hash=passwords.hash_password("staff pw!!"),
        name=f"{role.value.title()} {email.split('@')[0]}",
        role=role,
        now=now,
    )
    db.commit()
    return account


def sign_in(client: TestClient, email: str, password: str = "staff pw!!") -> Any:
    form = client.get("/desk/login")
    token = CSRF_FIELD.search(form.text)
    assert token is not None
    return client.post(
        "/desk/login",
        data={"email": email, "password": password, "csrf": token.group(1), "next": "/desk/"},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )


def desk_for(client: TestClient, email: str) -> Desk:
    response = sign_in(client, email)
    assert response.status_code == 303, response.text
    page = client.get("/desk/queues/pending")
    assert page.status_code == 200, page.text
    csrf = re.search(r'data-csrf="([^"]+)"', page.text)
    assert csrf is not None
    return Desk(client, csrf.group(1))


@pytest.fixture
def moderator_desk(client: TestClient, db: Session, now: datetime, site: Site) -> Desk:
    make_staff(db, now, Role.MODERATOR, "mod@example.org")
    return desk_for(client, "mod@example.org")


@pytest.fixture
def admin_desk(client: TestClient, db: Session, now: datetime, site: Site) -> Desk:
    make_staff(db, now, Role.ADMIN, "admin@example.org")
    return desk_for(client, "admin@example.org")


def reported_comment(make_reader: Any, story: dict[str, Any], body: str) -> tuple[Reader, int]:
    author = make_reader("Author")
    comment = author.post(body)
    assert comment.status_code == 201, comment.text
    reporter = make_reader("Reporter")
    report = reporter.request(
        "POST", f"/api/v1/comments/{comment.json()['id']}/reports", json={"reason": "abusive"}
    )
    assert report.status_code == 201, report.text
    return author, comment.json()["id"]


def test_desk_sends_a_signed_out_browser_to_sign_in(client: TestClient, site: Site) -> None:
    response = client.get("/desk/queues/reported?order=newest", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == (
        "/desk/login?next=%2Fdesk%2Fqueues%2Freported%3Forder%3Dnewest"
    )
    script = client.get("/desk/counts", headers={"Accept": "application/json"})
    assert script.status_code == 401
    assert script.json()["error"]["code"] == "unauthenticated"


def test_session_cookie_is_http_only_strict_and_scoped_to_the_desk(
    client: TestClient, db: Session, now: datetime, site: Site
) -> None:
    make_staff(db, now, Role.MODERATOR, "mod@example.org")
    response = sign_in(client, "mod@example.org")
    assert response.status_code == 303
    assert response.headers["location"] == "/desk/"
    cookie = next(
        value
        for value in response.headers.get_list("set-cookie")
        if value.startswith("commentdesk_desk=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/desk" in cookie
    assert "Secure" not in cookie  # plain http here; see the https test


def test_session_cookie_is_secure_over_https(
    app: FastAPI, db: Session, now: datetime, site: Site
) -> None:
    make_staff(db, now, Role.MODERATOR, "mod@example.org")
    with TestClient(app, base_url="https://desk.example") as secure_client:
        form = secure_client.get("/desk/login")
        token = CSRF_FIELD.search(form.text)
        assert token is not None
        response = secure_client.post(
            "/desk/login",
            data={"email": "mod@example.org", "password": "staff pw!!", "csrf": token.group(1)},
            headers={"Origin": "https://desk.example"},
            follow_redirects=False,
        )
    assert response.status_code == 303, response.text
    cookies = response.headers.get_list("set-cookie")
    assert any(value.startswith("commentdesk_desk=") and "Secure" in value for value in cookies)


def test_sign_in_refuses_a_wrong_password_and_a_commenter(
    client: TestClient, db: Session, now: datetime, make_reader: Any, site: Site
) -> None:
    make_staff(db, now, Role.MODERATOR, "mod@example.org")
    wrong = sign_in(client, "mod@example.org", "not the password")
    assert wrong.status_code == 401
    assert "data-login-error" in wrong.text
    assert "commentdesk_desk=" not in wrong.headers.get("set-cookie", "")
    make_reader("Plain Reader")
    commenter = sign_in(client, "reader1@example.org", "correct horse battery")
    assert commenter.status_code == 403
    assert "cannot use the editors" in commenter.text


def test_sign_in_from_another_site_or_without_the_form_token_is_refused(
    client: TestClient, db: Session, now: datetime, site: Site
) -> None:
    make_staff(db, now, Role.MODERATOR, "mod@example.org")
    form = client.get("/desk/login")
    token = CSRF_FIELD.search(form.text)
    assert token is not None
    credentials = {"email": "mod@example.org", "password": "staff pw!!"}
    forged = client.post(
        "/desk/login",
        data={**credentials, "csrf": token.group(1)},
        headers={"Origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    assert 'data-error-code="csrf_failed"' in forged.text
    tokenless = client.post(
        "/desk/login",
        data={**credentials, "csrf": "guessed"},
        headers={"Origin": ORIGIN},
        follow_redirects=False,
    )
    assert tokenless.status_code == 403
    assert 'data-error-code="csrf_failed"' in tokenless.text


def test_decision_without_the_session_token_changes_nothing(
    moderator_desk: Desk, make_reader: Any, story: dict[str, Any]
) -> None:
    author, comment_id = reported_comment(make_reader, story, "A comment someone reported.")
    forged = moderator_desk.client.post(
        f"/desk/comments/{comment_id}/decision",
        data={"action": "reject", "reason": "spam", "csrf": "0" * 64},
        headers=JSON,
    )
    assert forged.status_code == 403
    assert forged.json()["error"]["code"] == "csrf_failed"
    cross_site = moderator_desk.client.post(
        f"/desk/comments/{comment_id}/decision",
        data={"action": "reject", "reason": "spam", "csrf": moderator_desk.csrf},
        headers={"Accept": "application/json", "Origin": "https://evil.example"},
    )
    assert cross_site.status_code == 403
    assert author.request("GET", f"/api/v1/comments/{comment_id}").json()["status"] == "approved"


def test_reject_with_reason_reaches_the_author_and_undo_restores_the_report(
    moderator_desk: Desk, make_reader: Any, story: dict[str, Any]
) -> None:
    # Not an insult: a new site's toxicity threshold would hold that before any report.
    author, comment_id = reported_comment(make_reader, story, "Nobody here read the budget.")
    listed = moderator_desk.get("/desk/queues/reported")
    assert f'data-comment-id="{comment_id}"' in listed.text
    assert listed.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in listed.headers["content-security-policy"]

    decided = moderator_desk.post(
        f"/desk/comments/{comment_id}/decision",
        {"action": "reject", "reason": "abusive", "message": "Please argue, do not insult."},
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["decided"] == [comment_id]
    mine = author.request("GET", "/api/v1/threads/me", params={"url": STORY_URL}).json()
    rejected = next(comment for comment in mine["comments"] if comment["id"] == comment_id)
    assert rejected["status"] == "rejected"
    assert rejected["reason"] == "Please argue, do not insult."
    gone = moderator_desk.get(f"/desk/items/{comment_id}", params={"queue": "reported"})
    assert gone.status_code == 204

    undone = moderator_desk.post(f"/desk/decisions/{decided.json()['batch_id']}/undo", {})
    assert undone.status_code == 200, undone.text
    assert undone.json()["decided"] == [comment_id]
    back = moderator_desk.get(f"/desk/items/{comment_id}", params={"queue": "reported"})
    assert back.status_code == 200
    assert f'data-comment-id="{comment_id}"' in back.text
    assert author.request("GET", f"/api/v1/comments/{comment_id}").json()["status"] == "approved"


def test_plain_form_decision_redirects_back_to_the_page(
    moderator_desk: Desk, make_reader: Any, story: dict[str, Any]
) -> None:
    _author, comment_id = reported_comment(make_reader, story, "Reported but fine.")
    response = moderator_desk.post(
        f"/desk/comments/{comment_id}/decision",
        {"action": "approve", "next": "/desk/queues/reported"},
        as_json=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/desk/queues/reported"
    offsite = moderator_desk.post(
        f"/desk/comments/{comment_id}/decision",
        {"action": "approve", "next": "https://evil.example/"},
        as_json=False,
    )
    assert offsite.headers["location"] == "/desk/"
    counts = moderator_desk.get("/desk/counts").json()
    assert counts["counts"]["reported"] == 0


def test_queue_item_shows_the_comment_in_context(
    moderator_desk: Desk, make_reader: Any, story: dict[str, Any]
) -> None:
    first = make_reader("Parent Writer")
    parent = first.post("The parent comment about the library budget.").json()
    author = make_reader("Reply Writer")
    reply = author.post("A reply worth checking.", parent_id=parent["id"]).json()
    reporter = make_reader("Reporter")
    reporter.request("POST", f"/api/v1/comments/{reply['id']}/reports", json={"reason": "spam"})

    page = re.sub(r"\s+", " ", moderator_desk.get("/desk/queues/reported").text)
    assert "The parent comment about the library budget." in page
    assert "In reply to Parent Writer" in page
    assert "Reply Writer</a>: commenter; 1 published, 0 rejected, 0 waiting" in page
    assert f'/desk/stories/{story["id"]}">Budget</a>' in page
    assert 'class="badge report">spam</span>' in page
    assert "weight 0.50" in page
    assert re.search(r"Why here:</span> reports weigh 0\.5", page), page


def test_counts_follow_the_queues(
    moderator_desk: Desk, make_reader: Any, story: dict[str, Any]
) -> None:
    before = moderator_desk.get("/desk/counts").json()["counts"]
    assert set(before) == {
        "pending",
        "withheld",
        "reported",
        "unmoderated",
        "approved",
        "rejected",
    }
    reported_comment(make_reader, story, "One more reported comment.")
    after = moderator_desk.get("/desk/counts").json()["counts"]
    assert after["reported"] == before["reported"] + 1
    assert after["unmoderated"] == before["unmoderated"] + 1


@pytest.mark.parametrize(
    "path",
    [
        "/desk/queues/reported",
        "/desk/counts",
        "/desk/audit",
        "/desk/search?q=x",
        "/desk/accounts/{account}",
        "/desk/comments/{comment}",
        "/desk/items/{comment}",
        "/desk/stories/{story}",
        "/desk/sites/{site}/settings",
        "/desk/sites/{site}/assistant",
        "/desk/stream",
    ],
)
def test_a_commenter_session_reaches_no_desk_page(
    client: TestClient, make_reader: Any, story: dict[str, Any], site: Site, path: str
) -> None:
    reader = make_reader()
    comment = reader.post("Something to look at.").json()
    path = path.format(
        account=reader.account["id"],
        comment=comment["id"],
        story=story["id"],
        site=site.id,
    )
    # Even holding a valid token as the session cookie, a commenter is refused everywhere.
    client.cookies.set("commentdesk_desk", reader.token, domain="testserver.local", path="/desk")
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "permission_denied"


def test_moderator_of_one_site_cannot_decide_another_sites_comment(
    client: TestClient,
    db: Session,
    now: datetime,
    make_reader: Any,
    story: dict[str, Any],
    site: Site,
) -> None:
    other, _ = sites.create_site(
        db, name="Other Paper", slug="other-paper", origins=["https://other.example"], now=now
    )
    account = make_staff(db, now, Role.MODERATOR, "elsewhere@example.org")
    accounts.assign_sites(db, account=account, site_ids=[other.id])
    db.commit()
    author, comment_id = reported_comment(make_reader, story, "Not yours to judge.")
    desk = desk_for(client, "elsewhere@example.org")
    refused = desk.post(f"/desk/comments/{comment_id}/decision", {"action": "reject"})
    assert refused.status_code == 422
    assert refused.json()["error"]["details"]["code"] == "permission_denied"
    assert desk.get(f"/desk/items/{comment_id}").status_code == 403
    assert desk.get(f"/desk/sites/{site.id}/settings").status_code == 403
    assert author.request("GET", f"/api/v1/comments/{comment_id}").json()["status"] == "approved"


def test_admin_edits_word_lists_and_policy_from_the_settings_page(
    admin_desk: Desk, make_reader: Any, story: dict[str, Any], site: Site
) -> None:
    page = admin_desk.get(f"/desk/sites/{site.id}/settings")
    assert page.status_code == 200
    assert 'name="banned_words"' in page.text
    form = {
        field: value
        for field, value in re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', page.text)
        if field not in ("csrf", "name", "edit_window_seconds")
    }
    form.update({"banned_words": "scoundrel*\nnitwit", "link_policy": "allow"})
    form["score_thresholds"] = "{}"
    saved = admin_desk.post(f"/desk/sites/{site.id}/settings", form)
    assert saved.status_code == 200, saved.text[:2000]
    reader = make_reader()
    refused = reader.post("What scoundrels run this council.")
    assert refused.status_code == 201
    assert refused.json()["status"] == "rejected"

    profile = admin_desk.post(
        f"/desk/sites/{site.id}/profile",
        {
            "name": "The Example News",
            "policy": "Stay on the story. Be kind.",
            "disclaimer": "Opinions are the commenters' own.",
            "edit_window_seconds": "300",
        },
    )
    assert profile.status_code == 200, profile.text
    thread = reader.client.get("/api/v1/threads", params={"url": STORY_URL}).json()
    assert thread["site"]["policy"] == "Stay on the story. Be kind."


def test_invalid_settings_are_shown_with_their_field_and_nothing_is_saved(
    admin_desk: Desk, site: Site
) -> None:
    max_length = re.compile(r'id="setting-max_length"[^>]*value="(\d+)"')
    before = max_length.search(admin_desk.get(f"/desk/sites/{site.id}/settings").text)
    assert before is not None
    response = admin_desk.post(
        f"/desk/sites/{site.id}/settings",
        {"max_length": "0", "score_thresholds": "{not json", "link_policy": "allow"},
        as_json=False,
    )
    assert response.status_code == 422
    assert 'href="#setting-max_length"' in response.text
    assert 'href="#setting-score_thresholds"' in response.text
    assert "Not valid JSON" in response.text
    after = max_length.search(admin_desk.get(f"/desk/sites/{site.id}/settings").text)
    assert after is not None
    assert after.group(1) == before.group(1) != "0"


def test_a_moderator_reads_settings_but_cannot_save_them(moderator_desk: Desk, site: Site) -> None:
    page = moderator_desk.get(f"/desk/sites/{site.id}/settings")
    assert page.status_code == 200
    assert "Only admins can change these" in page.text
    refused = moderator_desk.post(
        f"/desk/sites/{site.id}/profile",
        {"name": "Hijacked", "policy": "x", "disclaimer": "y", "edit_window_seconds": "0"},
    )
    assert refused.status_code == 403


def test_ban_from_the_desk_stops_the_author_posting(
    moderator_desk: Desk, make_reader: Any, story: dict[str, Any]
) -> None:
    author, _comment_id = reported_comment(make_reader, story, "Trolling again.")
    banned = moderator_desk.post(
        f"/desk/accounts/{author.account['id']}/actions",
        {"action": "ban", "reason": "Repeated abuse."},
    )
    assert banned.status_code == 200, banned.text
    assert banned.json()["action"] == "ban"
    assert author.post("Let me back in.").status_code == 403
    page = moderator_desk.get(f"/desk/accounts/{author.account['id']}").text
    assert "Repeated abuse." in page
    assert "data-account-status>banned<" in page
    suspended = moderator_desk.post(
        f"/desk/accounts/{author.account['id']}/actions", {"action": "suspend"}
    )
    assert suspended.status_code == 422


def test_story_view_shows_hidden_comments_in_place(
    moderator_desk: Desk, make_reader: Any, story: dict[str, Any]
) -> None:
    _author, comment_id = reported_comment(make_reader, story, "Soon to be hidden.")
    moderator_desk.post(f"/desk/comments/{comment_id}/decision", {"action": "reject"})
    make_reader("Replier").post("Still visible.", parent_id=None)
    page = moderator_desk.get(f"/desk/stories/{story['id']}").text
    assert "Soon to be hidden." in page
    assert "hidden from readers" in page
    assert "Still visible." in page
    audit = moderator_desk.get("/desk/audit", params={"action": "reject"}).text
    assert f'/desk/comments/{comment_id}">{comment_id}</a>' in audit
    record = moderator_desk.get(f"/desk/comments/{comment_id}").text
    assert "approved → rejected" in record


def test_sign_out_ends_the_session(moderator_desk: Desk) -> None:
    session_cookie = moderator_desk.client.cookies.get("commentdesk_desk")
    assert session_cookie
    response = moderator_desk.post("/desk/logout", {}, as_json=False)
    assert response.status_code == 303
    moderator_desk.client.cookies.set("commentdesk_desk", session_cookie, path="/desk")
    again = moderator_desk.get("/desk/queues/pending")
    assert again.status_code == 303
    assert again.headers["location"].startswith("/desk/login")


def test_desk_opens_on_the_most_urgent_queue_with_work(
    moderator_desk: Desk, make_reader: Any, story: dict[str, Any]
) -> None:
    assert moderator_desk.get("/desk/").headers["location"] == "/desk/queues/pending"
    reported_comment(make_reader, story, "Someone finds this rude.")
    assert moderator_desk.get("/desk/").headers["location"] == "/desk/queues/reported"


def test_queue_counts_are_exact_up_to_the_cap_then_say_more(
    db: Session, now: datetime, make_reader: Any, story: dict[str, Any]
) -> None:
    moderator = make_staff(db, now, Role.MODERATOR, "counter@example.org")
    for number in range(3):
        reported_comment(make_reader, story, f"Reported number {number}.")
    capped = queues.count_queues(db, moderator=moderator, cap=2)
    assert capped.counts["reported"] == 2
    assert "reported" in capped.over_cap
    assert capped.label("reported") == "2+"
    exact = queues.count_queues(db, moderator=moderator, cap=3)
    assert exact.counts["reported"] == 3
    assert "reported" not in exact.over_cap
    assert exact.label("reported") == "3"


def test_a_moderator_closes_a_story_and_readers_can_no_longer_post(
    moderator_desk: Desk, make_reader: Any, story: dict[str, Any]
) -> None:
    reader = make_reader()
    assert reader.post("Before closing.").status_code == 201
    closed = moderator_desk.post(
        f"/desk/stories/{story['id']}/modes", {"is_closed": "on", "premoderation": "site"}
    )
    assert closed.status_code == 200, closed.text
    refused = reader.post("After closing.")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "story_closed"
    thread = reader.client.get("/api/v1/threads", params={"url": STORY_URL}).json()
    assert thread["story"]["is_closed"] is True
    page = moderator_desk.get(f"/desk/stories/{story['id']}").text
    assert re.search(r'id="story-closed"[^>]*checked', page)
    commenter = reader.request(
        "PUT", f"/api/v1/moderation/stories/{story['id']}/modes", json={"is_closed": False}
    )
    assert commenter.status_code == 403
