"""The story's text from the publisher's page, for the assistant: kept when nothing better is
known, only from the site's own pages, and never over the CMS's text."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from commentdesk.sites.models import Site
from tests.conftest import ORIGIN, STORY_URL

PAGE_TEXT = "The council   voted to keep the branch libraries open\non Sundays."


def send(client: TestClient, text: str, origin: str | None = ORIGIN, url: str = STORY_URL) -> Any:
    headers = {"Origin": origin} if origin else {}
    return client.post(
        "/api/v1/threads/story-text", json={"url": url, "text": text}, headers=headers
    )


def story_text(client: TestClient, api_key: str) -> str:
    story = client.put(
        "/api/v1/stories",
        json={"url": STORY_URL, "title": "Budget"},
        headers={"X-API-Key": api_key},
    ).json()
    text: str = story["body_text"]
    return text


def test_the_first_page_text_is_kept_and_the_thread_says_so(
    client: TestClient, story: Any, site_with_key: tuple[Site, str]
) -> None:
    assert (
        client.get("/api/v1/threads", params={"url": STORY_URL}).json()["story"]["has_text"]
        is False
    )
    first = send(client, PAGE_TEXT)
    assert first.status_code == 200 and first.json() == {"stored": True}
    assert send(client, "Another page's idea of the story.").json() == {"stored": False}
    assert story_text(client, site_with_key[1]) == (
        "The council voted to keep the branch libraries open on Sundays."
    )
    assert client.get("/api/v1/threads", params={"url": STORY_URL}).json()["story"]["has_text"]


def test_the_cms_text_wins(client: TestClient, story: Any, site_with_key: tuple[Site, str]) -> None:
    api_key = site_with_key[1]
    client.put(
        "/api/v1/stories",
        json={"url": STORY_URL, "title": "Budget", "body_text": "From the CMS."},
        headers={"X-API-Key": api_key},
    )
    assert send(client, PAGE_TEXT).json() == {"stored": False}
    assert story_text(client, api_key) == "From the CMS."


def test_only_the_sites_own_pages_may_send_it(client: TestClient, story: Any) -> None:
    for origin in (None, "https://evil.example"):
        refused = send(client, PAGE_TEXT, origin=origin)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "permission_denied"
    assert send(client, "x" * 20_001).status_code == 422
    assert send(client, "").status_code == 422
    unknown = send(client, PAGE_TEXT, url=f"{ORIGIN}/never-seen")
    assert unknown.status_code == 404
