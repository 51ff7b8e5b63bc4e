"""The CMS story API, authenticated by the site's API key."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import ORIGIN, STORY_URL


def test_cms_creates_then_updates_a_story(client: TestClient, site_with_key: Any) -> None:
    _, api_key = site_with_key
    payload = {
        "url": STORY_URL,
        "title": "Council passes budget",
        "body_text": "The council voted 7-2 on Tuesday to pass the budget.",
        "published_at": "2026-11-28T09:00:00Z",
    }
    created = client.put("/api/v1/stories", json=payload, headers={"X-API-Key": api_key})
    assert created.status_code == 201
    assert created.json()["body_text"].startswith("The council voted")
    updated = client.put(
        "/api/v1/stories",
        json={**payload, "title": "Budget passes 7-2"},
        headers={"X-API-Key": api_key},
    )
    assert updated.status_code == 200
    assert updated.json()["id"] == created.json()["id"]
    thread = client.get("/api/v1/threads", params={"url": STORY_URL}).json()
    assert thread["story"]["title"] == "Budget passes 7-2"


def test_cms_needs_a_valid_key(client: TestClient, site: Any) -> None:
    payload = {"url": STORY_URL, "title": "T"}
    missing = client.put("/api/v1/stories", json=payload)
    wrong = client.put("/api/v1/stories", json=payload, headers={"X-API-Key": "cdk_wrong"})
    assert missing.status_code == wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "unauthenticated"


def test_cms_cannot_create_stories_on_other_origins(client: TestClient, site_with_key: Any) -> None:
    _, api_key = site_with_key
    response = client.put(
        "/api/v1/stories",
        json={"url": "https://other.example/x", "title": "T"},
        headers={"X-API-Key": api_key},
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"]["allowed_origins"] == [ORIGIN]


def test_cms_rejects_non_http_urls(client: TestClient, site_with_key: Any) -> None:
    _, api_key = site_with_key
    response = client.put(
        "/api/v1/stories",
        json={"url": "javascript:alert(1)", "title": "T"},
        headers={"X-API-Key": api_key},
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
