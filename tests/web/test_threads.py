"""The public thread: story creation by origin, pagination, sorting, caching and counts."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from commentdesk.accounts.models import Role
from tests.conftest import ORIGIN, STORY_URL
from tests.web.test_pipeline import sign_in_as


def test_unknown_origin_gets_404(client: TestClient, site: Any) -> None:
    response = client.get("/api/v1/threads", params={"url": "https://elsewhere.example/story"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_story_is_created_on_first_request_from_an_allowed_origin(
    client: TestClient, site: Any
) -> None:
    response = client.get(
        "/api/v1/threads",
        params={"url": STORY_URL + "#comments", "title": "Council budget"},
        headers={"Origin": ORIGIN},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["story"] == {
        "id": body["story"]["id"],
        "url": STORY_URL,
        "title": "Council budget",
        "is_closed": False,
        "comment_count": 0,
        "has_text": False,
    }
    assert body["comments"] == [] and body["next_cursor"] is None
    assert body["site"]["name"] == "The Example News"
    assert "advance the story" in body["site"]["policy"]
    assert response.headers["access-control-allow-origin"] == ORIGIN


def test_request_from_a_foreign_page_cannot_create_a_story(client: TestClient, site: Any) -> None:
    response = client.get(
        "/api/v1/threads", params={"url": STORY_URL}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 404
    assert "access-control-allow-origin" not in response.headers


def test_invalid_sort_limit_and_cursor_are_rejected(client: TestClient, story: Any) -> None:
    for params in (
        {"sort": "random"},
        {"limit": 0},
        {"limit": 101},
        {"cursor": "not-a-cursor"},
        {"cursor": "eyJzIjoidG9wIiwiayI6WzEsMl19"},  # a valid cursor for another sort
    ):
        response = client.get("/api/v1/threads", params={"url": STORY_URL, **params})
        assert response.status_code == 422, params
        assert response.json()["error"]["code"] == "invalid_input"


def test_cursor_pages_are_stable_while_others_post(
    client: TestClient, make_reader: Any, story: Any
) -> None:
    reader = make_reader()
    ids = [reader.post(f"Comment {number}").json()["id"] for number in range(7)]
    first = client.get("/api/v1/threads", params={"url": STORY_URL, "limit": 3}).json()
    assert [comment["id"] for comment in first["comments"]] == ids[::-1][:3]
    reader.post("Posted while paging")
    second = client.get(
        "/api/v1/threads", params={"url": STORY_URL, "limit": 3, "cursor": first["next_cursor"]}
    ).json()
    third = client.get(
        "/api/v1/threads", params={"url": STORY_URL, "limit": 3, "cursor": second["next_cursor"]}
    ).json()
    seen = [comment["id"] for page in (first, second, third) for comment in page["comments"]]
    assert seen == ids[::-1]
    assert third["next_cursor"] is None


def test_sorts_order_top_level_comments(client: TestClient, make_reader: Any, story: Any) -> None:
    author, fan, replier = make_reader(), make_reader(), make_reader()
    quiet = author.post("Quiet").json()["id"]
    liked = author.post("Liked").json()["id"]
    discussed = author.post("Discussed").json()["id"]
    fan.request("POST", f"/api/v1/comments/{liked}/reactions")
    replier.post("Reply one", parent_id=discussed)
    replier.post("Reply two", parent_id=discussed)

    def order(sort: str) -> list[int]:
        page = client.get("/api/v1/threads", params={"url": STORY_URL, "sort": sort}).json()
        return [comment["id"] for comment in page["comments"]]

    assert order("newest") == [discussed, liked, quiet]
    assert order("oldest") == [quiet, liked, discussed]
    assert order("top")[0] == liked
    assert order("replies")[0] == discussed


def test_top_sort_paginates_across_equal_counts(
    client: TestClient, make_reader: Any, story: Any
) -> None:
    author, fan = make_reader(), make_reader()
    ids = [author.post(f"Comment {number}").json()["id"] for number in range(5)]
    fan.request("POST", f"/api/v1/comments/{ids[2]}/reactions")
    seen: list[int] = []
    cursor = None
    for _ in range(5):
        params: dict[str, Any] = {"url": STORY_URL, "sort": "top", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/threads", params=params).json()
        seen += [comment["id"] for comment in page["comments"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [ids[2], ids[4], ids[3], ids[1], ids[0]]


def test_thread_is_cached_with_etag_and_invalidated_by_a_post(
    client: TestClient, make_reader: Any, story: Any
) -> None:
    params = {"url": STORY_URL}
    first = client.get("/api/v1/threads", params=params)
    etag = first.headers["etag"]
    assert "s-maxage" in first.headers["cache-control"]
    again = client.get("/api/v1/threads", params=params)
    assert again.content == first.content and again.headers["etag"] == etag
    not_modified = client.get("/api/v1/threads", params=params, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    make_reader().post("Fresh comment")
    after = client.get("/api/v1/threads", params=params, headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert after.headers["etag"] != etag
    assert after.json()["comments"][0]["html"] == "<p>Fresh comment</p>"


def test_thread_is_the_same_for_every_viewer(
    client: TestClient, make_reader: Any, story: Any
) -> None:
    author = make_reader()
    author.post("Public words")
    anonymous = client.get("/api/v1/threads", params={"url": STORY_URL})
    signed_in = author.request("GET", "/api/v1/threads", params={"url": STORY_URL})
    assert anonymous.content == signed_in.content


def test_counts_for_many_urls_in_one_call(client: TestClient, make_reader: Any, story: Any) -> None:
    reader = make_reader()
    reader.post("One")
    reader.post("Two")
    unknown = f"{ORIGIN}/not-yet-a-story"
    response = client.get("/api/v1/counts", params={"url": [STORY_URL, unknown]})
    assert response.status_code == 200
    assert response.json() == {"counts": {STORY_URL: 2, unknown: 0}}


def test_counts_reject_more_than_100_urls(client: TestClient, story: Any) -> None:
    urls = [f"{ORIGIN}/story-{number}" for number in range(101)]
    response = client.get("/api/v1/counts", params={"url": urls})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_cors_preflight_allows_site_origins_only(client: TestClient, story: Any) -> None:
    allowed = client.options(
        "/api/v1/comments",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    denied = client.options(
        "/api/v1/comments",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert denied.status_code == 400
    assert "access-control-allow-origin" not in denied.headers


def test_counts_are_cached_and_follow_new_comments_and_new_stories(
    client: TestClient, make_reader: Any, story: Any
) -> None:
    later = f"{ORIGIN}/2026/11/29/later-story"
    params = {"url": [STORY_URL, later]}
    first = client.get("/api/v1/counts", params=params)
    assert first.json() == {"counts": {STORY_URL: 0, later: 0}}
    assert client.get("/api/v1/counts", params=params).headers["etag"] == first.headers["etag"]
    make_reader().post("Counted")
    assert client.get("/api/v1/counts", params=params).json()["counts"][STORY_URL] == 1
    client.get("/api/v1/threads", params={"url": later})
    make_reader().post("On the later story", url=later)
    assert client.get("/api/v1/counts", params=params).json() == {
        "counts": {STORY_URL: 1, later: 1}
    }


def test_a_comment_on_one_story_keeps_the_other_storys_page_cached(
    app: Any, client: TestClient, make_reader: Any, story: Any
) -> None:
    other = f"{ORIGIN}/2026/11/29/other"
    client.get("/api/v1/threads", params={"url": other})
    cached = client.get("/api/v1/threads", params={"url": other})
    reader = make_reader()
    reader.post("Only on the first story")
    cache = app.state.read_cache
    key = b"/api/v1/threads?" + cached.request.url.query
    assert cache.get(key) is not None
    reader.post("Now on the other story", url=other)
    assert cache.get(key) is None


def test_openapi_schema_and_docs_page_are_served(client: TestClient) -> None:
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/threads",
        "/api/v1/threads/me",
        "/api/v1/comments",
        "/api/v1/counts",
        "/api/v1/stories",
        "/api/v1/auth/sso",
    ):
        assert path in paths
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_cached_pages_answer_cors_like_fresh_ones(client: TestClient, story: Any) -> None:
    params = {"url": STORY_URL}
    client.get("/api/v1/threads", params=params)  # fills the cache
    allowed = client.get("/api/v1/threads", params=params, headers={"Origin": ORIGIN})
    foreign = client.get(
        "/api/v1/threads", params=params, headers={"Origin": "https://evil.example"}
    )
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "access-control-allow-origin" not in foreign.headers
    assert allowed.content == foreign.content
    assert allowed.headers["vary"] == "Origin"


def test_thread_stream_of_an_unknown_story_is_not_found(client: TestClient, site: Any) -> None:
    response = client.get(
        "/api/v1/threads/stream", params={"url": "https://news.example/never-seen"}
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_first_page_lists_the_editors_picks(
    client: TestClient, make_reader: Any, story: Any, db: Any, now: Any
) -> None:
    author = make_reader()
    picked = author.post("A comment the editors will pick.").json()
    author.post("An ordinary comment.")
    editor = sign_in_as(client, db, now, Role.MODERATOR)
    featured = editor.request(
        "POST", f"/api/v1/moderation/comments/{picked['id']}/decision", json={"action": "feature"}
    )
    assert featured.status_code == 200, featured.text
    first = client.get("/api/v1/threads", params={"url": STORY_URL, "limit": 1}).json()
    assert [comment["id"] for comment in first["featured"]] == [picked["id"]]
    assert first["featured"][0]["is_featured"] is True
    second = client.get(
        "/api/v1/threads", params={"url": STORY_URL, "limit": 1, "cursor": first["next_cursor"]}
    ).json()
    assert second["featured"] == []
