"""The thread's `best` sort: top-level comments by their current text's constructiveness (as
stored through the real posting path by a stand-in scorer), then reactions, then newest."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from commentdesk.scoring.protocol import Score, ScoringContext
from commentdesk.sites.models import Site
from tests.conftest import STORY_URL, Reader
from tests.web.test_scorers import client_with, reader_on

MARKED = re.compile(r"\[(\d\.\d+)\]")


class MarkedConstructiveness:
    """Stands in for the constructiveness model: a comment says its own score as "[0.7]"; one
    without a mark gets no score at all."""

    name = "marked-constructiveness"

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        found = MARKED.search(text)
        if found is None:
            return []
        value = float(found.group(1))
        return [Score("constructiveness", value, f"marked {value}")]


@pytest.fixture
def scored_client(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path, site: Site
) -> Iterator[TestClient]:
    for client in client_with(engine, session_factory, tmp_path, MarkedConstructiveness()):
        story = client.get("/api/v1/threads", params={"url": STORY_URL, "title": "Budget"})
        assert story.status_code == 200, story.text
        yield client


def best_pages(client: TestClient, limit: int) -> list[list[dict[str, Any]]]:
    pages, cursor = [], None
    for _ in range(10):
        params: dict[str, Any] = {"url": STORY_URL, "sort": "best", "limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = client.get("/api/v1/threads", params=params)
        assert response.status_code == 200, response.text
        pages.append(response.json()["comments"])
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return pages
    raise AssertionError("the best sort never reached its last page")


def posted(reader: Reader, body: str, parent_id: int | None = None) -> int:
    response = reader.post(body, parent_id=parent_id)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "approved"
    comment_id: int = response.json()["id"]
    return comment_id


def test_best_orders_by_constructiveness_then_reactions_then_newest_across_pages(
    scored_client: TestClient,
) -> None:
    author, fan = reader_on(scored_client, 1), reader_on(scored_client, 2)
    evidence = posted(author, "The audit's figures show the shortfall [0.9]")
    rant = posted(author, "Typical council [0.2]")
    unscored = posted(author, "Nothing marked here")
    liked = posted(author, "A point with one reaction [0.7]")
    older = posted(author, "An older point [0.7]")
    newer = posted(author, "A newer point [0.7]")
    fan.request("POST", f"/api/v1/comments/{liked}/reactions")
    # Replies never move their parent, and keep their own order under it.
    first_reply = posted(fan, "A strong reply [0.95]", parent_id=rant)
    second_reply = posted(fan, "A weak reply [0.1]", parent_id=rant)

    # An unscored comment counts as 0.5: below the constructive ones, above the rant.
    expected = [evidence, liked, newer, older, unscored, rant]
    # The reacted-to point was posted before `older`: without its reaction it would be last
    # of the three.
    assert liked < older < newer
    pages = best_pages(scored_client, limit=4)
    assert [[comment["id"] for comment in page] for page in pages] == [expected[:4], expected[4:]]
    under_rant = next(comment for comment in pages[1] if comment["id"] == rant)
    assert [reply["id"] for reply in under_rant["replies"]] == [first_reply, second_reply]


def test_best_pages_one_at_a_time_through_equal_scores(scored_client: TestClient) -> None:
    author = reader_on(scored_client, 3)
    ids = [posted(author, f"Point {number} [0.6]") for number in range(3)]
    ids.append(posted(author, "Unmarked"))
    pages = best_pages(scored_client, limit=1)
    assert [comment["id"] for page in pages for comment in page] == [
        ids[2],
        ids[1],
        ids[0],
        ids[3],
    ]


def test_best_ranks_an_edited_comment_by_its_current_text(scored_client: TestClient) -> None:
    author = reader_on(scored_client, 4)
    first = posted(author, "Detailed and sourced [0.9]")
    second = posted(author, "Fair enough [0.7]")
    assert [comment["id"] for comment in best_pages(scored_client, limit=10)[0]] == [first, second]
    # The edit is scored after the write (no background scorer here), so its new text counts
    # as unscored, not as the 0.9 its first text earned.
    edited = author.request("PATCH", f"/api/v1/comments/{first}", json={"body": "Never mind"})
    assert edited.status_code == 200, edited.text
    assert [comment["id"] for comment in best_pages(scored_client, limit=10)[0]] == [second, first]


@pytest.mark.parametrize(
    "cursor",
    [
        "eyJzIjoiYmVzdCIsImsiOlsxLjUsMCwzXX0",  # {"s":"best","k":[1.5,0,3]}: score past 1
        "eyJzIjoiYmVzdCIsImsiOlswLjUsM119",  # {"s":"best","k":[0.5,3]}: too short
        "eyJzIjoiYmVzdCIsImsiOlsiMC41IiwwLDNdfQ",  # {"s":"best","k":["0.5",0,3]}
        "eyJzIjoidG9wIiwiayI6WzEsMl19",  # a valid cursor of the top sort
    ],
)
def test_a_bad_best_cursor_is_invalid_input(scored_client: TestClient, cursor: str) -> None:
    response = scored_client.get(
        "/api/v1/threads", params={"url": STORY_URL, "sort": "best", "cursor": cursor}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
