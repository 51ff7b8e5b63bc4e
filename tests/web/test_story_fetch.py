"""The story's text fetched from its page, for sites that turn it on: after the first thread read
or post, off the request path; never for a site that has not, never over the CMS's text, and a
page that cannot be used leaves the story as it was. A real server on loopback plays the
publisher's site."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commentdesk.moderation.models import SiteSettings
from commentdesk.sites import service as sites
from commentdesk.stories.fetch import FetchLimits
from commentdesk.stories.models import Story
from commentdesk.web.story_fetch import StoryTextFetches
from tests.conftest import RELAXED
from tests.story_pages import ARTICLE_SENTENCE, NAVIGATION_TEXT, StoryPages, serve_story_pages


@pytest.fixture
def pages() -> Iterator[StoryPages]:
    with serve_story_pages() as served:
        yield served


@pytest.fixture
def app(app: FastAPI) -> FastAPI:
    # No wait before fetching: the test client returns once the background task has run.
    app.state.story_text_fetches = StoryTextFetches(
        limits=FetchLimits(timeout_seconds=2.0), delay_seconds=0
    )
    return app


def make_site(db: Session, pages: StoryPages, now: datetime, *, fetches: bool) -> str:
    site, api_key = sites.create_site(
        db, name="Loopback News", slug="loopback-news", origins=[pages.origin], now=now
    )
    settings = RELAXED.model_copy(update={"fetch_story_text": fetches})
    db.add(SiteSettings(site_id=site.id, moderation=settings.model_dump(mode="json")))
    db.commit()
    return api_key


def read_thread(client: TestClient, pages: StoryPages, url: str) -> Any:
    response = client.get("/api/v1/threads", params={"url": url}, headers={"Origin": pages.origin})
    assert response.status_code == 200, response.text
    return response.json()


def stored_text(session_factory: sessionmaker[Session], url: str) -> str:
    with session_factory() as session:
        text = session.scalars(select(Story.body_text).where(Story.url == url)).one()
        return str(text)


def test_the_first_read_fetches_the_text_of_the_article(
    client: TestClient,
    db: Session,
    session_factory: sessionmaker[Session],
    pages: StoryPages,
    now: datetime,
) -> None:
    make_site(db, pages, now, fetches=True)
    url = pages.url("/article")
    assert read_thread(client, pages, url)["story"]["has_text"] is False
    text = stored_text(session_factory, url)
    assert ARTICLE_SENTENCE in text and NAVIGATION_TEXT not in text
    assert read_thread(client, pages, url)["story"]["has_text"] is True
    assert pages.requested().count("/article") == 1


def test_the_first_post_fetches_the_text_of_a_story_the_cms_sent_without_it(
    client: TestClient,
    db: Session,
    session_factory: sessionmaker[Session],
    pages: StoryPages,
    now: datetime,
    make_reader: Any,
) -> None:
    api_key = make_site(db, pages, now, fetches=True)
    url = pages.url("/article?from=cms")
    created = client.put(
        "/api/v1/stories", json={"url": url, "title": "Libraries"}, headers={"X-API-Key": api_key}
    )
    assert created.status_code == 201 and created.json()["body_text"] == ""
    posted = make_reader().post("Good news for the town.", url=url)
    assert posted.status_code == 201, posted.text
    assert ARTICLE_SENTENCE in stored_text(session_factory, url)


def test_a_site_that_has_not_turned_it_on_is_never_fetched(
    client: TestClient,
    db: Session,
    session_factory: sessionmaker[Session],
    pages: StoryPages,
    now: datetime,
    make_reader: Any,
) -> None:
    make_site(db, pages, now, fetches=False)
    url = pages.url("/article?site=off")
    before = len(pages.requested())
    read_thread(client, pages, url)
    assert make_reader().post("First!", url=url).status_code == 201
    assert stored_text(session_factory, url) == ""
    assert len(pages.requested()) == before


def test_the_cms_text_is_never_replaced_by_the_page(
    client: TestClient,
    db: Session,
    session_factory: sessionmaker[Session],
    pages: StoryPages,
    now: datetime,
) -> None:
    api_key = make_site(db, pages, now, fetches=True)
    declared = pages.url("/article?from=cms-with-text")
    client.put(
        "/api/v1/stories",
        json={"url": declared, "title": "Libraries", "body_text": "From the CMS."},
        headers={"X-API-Key": api_key},
    )
    read_thread(client, pages, declared)
    assert stored_text(session_factory, declared) == "From the CMS."
    # And the CMS's text replaces a fetched one.
    fetched = pages.url("/article?then=cms")
    read_thread(client, pages, fetched)
    assert ARTICLE_SENTENCE in stored_text(session_factory, fetched)
    client.put(
        "/api/v1/stories",
        json={"url": fetched, "title": "Libraries", "body_text": "Corrected by the CMS."},
        headers={"X-API-Key": api_key},
    )
    assert stored_text(session_factory, fetched) == "Corrected by the CMS."


def test_the_page_text_sent_by_the_widget_is_kept_over_a_fetch(
    client: TestClient,
    db: Session,
    session_factory: sessionmaker[Session],
    pages: StoryPages,
    now: datetime,
) -> None:
    api_key = make_site(db, pages, now, fetches=True)
    url = pages.url("/article?from=widget")
    client.put(
        "/api/v1/stories", json={"url": url, "title": "Libraries"}, headers={"X-API-Key": api_key}
    )
    sent = client.post(
        "/api/v1/threads/story-text",
        json={"url": url, "text": "As the page shows it."},
        headers={"Origin": pages.origin},
    )
    assert sent.json() == {"stored": True}
    read_thread(client, pages, url)
    assert stored_text(session_factory, url) == "As the page shows it."


@pytest.mark.parametrize(
    ("path", "code"),
    [("/data.json", "not_html"), ("/away", "origin_not_allowed"), ("/huge", "too_large")],
)
def test_a_page_that_cannot_be_used_leaves_the_story_as_it_was_and_is_logged(
    client: TestClient,
    db: Session,
    session_factory: sessionmaker[Session],
    pages: StoryPages,
    now: datetime,
    caplog: pytest.LogCaptureFixture,
    path: str,
    code: str,
) -> None:
    make_site(db, pages, now, fetches=True)
    url = pages.url(path)
    with caplog.at_level(logging.WARNING, logger="commentdesk.web.story_fetch"):
        assert read_thread(client, pages, url)["story"]["has_text"] is False
    assert stored_text(session_factory, url) == ""
    assert any(code in record.getMessage() for record in caplog.records)
    # Tried once per process for a while, not on every read.
    tries = pages.requested().count(path)
    read_thread(client, pages, url)
    assert pages.requested().count(path) == tries
