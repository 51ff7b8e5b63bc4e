"""Fetching a story's text from its page (stories/fetch.py) against a real server on loopback:
the article's text comes back, and every page it must not use is refused with its reason."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from commentdesk.stories.fetch import (
    FetchLimits,
    StoryFetchFailed,
    extract_text,
    fetch_story_text,
)
from commentdesk.stories.fetch_plan import decide
from commentdesk.web.story_fetch import StoryTextFetches
from tests.story_pages import ARTICLE_SENTENCE, NAVIGATION_TEXT, StoryPages, serve_story_pages

LIMITS = FetchLimits()


@pytest.fixture(scope="module")
def pages() -> Iterator[StoryPages]:
    with serve_story_pages() as served:
        yield served


def fetch(pages: StoryPages, path: str, limits: FetchLimits = LIMITS) -> str:
    return fetch_story_text(pages.url(path), allowed_origins=[pages.origin], limits=limits)


def refusal(pages: StoryPages, path: str, limits: FetchLimits = LIMITS) -> str:
    with pytest.raises(StoryFetchFailed) as failure:
        fetch(pages, path, limits)
    assert failure.value.message
    return failure.value.code


def test_the_article_text_is_extracted_without_the_navigation_or_footer(
    pages: StoryPages,
) -> None:
    text = fetch(pages, "/article")
    assert ARTICLE_SENTENCE in text
    assert "several roofs leak" in text
    assert NAVIGATION_TEXT not in text
    assert "All rights reserved" not in text
    assert "\n" not in text and "  " not in text


def test_the_text_is_cut_at_a_word_to_the_limit(pages: StoryPages) -> None:
    text = fetch(pages, "/article", FetchLimits(max_text_length=60))
    assert 0 < len(text) <= 60
    assert fetch(pages, "/article").startswith(text + " ")


def test_a_redirect_within_the_origin_is_followed(pages: StoryPages) -> None:
    assert ARTICLE_SENTENCE in fetch(pages, "/hop")


def test_a_redirect_to_another_origin_is_refused(pages: StoryPages) -> None:
    assert refusal(pages, "/away") == "origin_not_allowed"


def test_a_url_off_the_allowed_origins_is_never_requested(pages: StoryPages) -> None:
    with pytest.raises(StoryFetchFailed) as failure:
        fetch_story_text(
            pages.url("/article"), allowed_origins=["https://news.example"], limits=LIMITS
        )
    assert failure.value.code == "origin_not_allowed"
    for url in ("file:///etc/passwd", "ftp://127.0.0.1/article"):
        with pytest.raises(StoryFetchFailed) as failure:
            fetch_story_text(url, allowed_origins=[pages.origin], limits=LIMITS)
        assert failure.value.code == "origin_not_allowed"


def test_endless_redirects_stop_at_the_limit(pages: StoryPages) -> None:
    assert refusal(pages, "/loop") == "too_many_redirects"


@pytest.mark.parametrize("path", ["/huge", "/huge-declared"])
def test_a_page_past_the_size_limit_is_refused(pages: StoryPages, path: str) -> None:
    assert refusal(pages, path) == "too_large"


def test_a_page_slower_than_the_time_limit_is_given_up(pages: StoryPages) -> None:
    assert refusal(pages, "/slow", FetchLimits(timeout_seconds=0.3)) == "timeout"


def test_a_response_that_is_not_html_is_refused(pages: StoryPages) -> None:
    assert refusal(pages, "/data.json") == "not_html"


def test_an_error_page_is_refused(pages: StoryPages) -> None:
    assert refusal(pages, "/missing") == "http_error"


def test_a_closed_port_is_unreachable(pages: StoryPages) -> None:
    with serve_story_pages() as gone:
        closed_origin = gone.origin
    with pytest.raises(StoryFetchFailed) as failure:
        fetch_story_text(f"{closed_origin}/article", allowed_origins=[closed_origin], limits=LIMITS)
    assert failure.value.code == "unreachable"


def test_a_page_without_article_text_is_refused() -> None:
    with pytest.raises(StoryFetchFailed) as failure:
        extract_text("<html><body><p> </p></body></html>", max_length=100)
    assert failure.value.code == "no_text"


@pytest.mark.parametrize(
    ("has_text", "is_turned_on", "should_fetch", "reason_mentions"),
    [
        (False, True, True, "no text"),
        (True, True, False, "already has its text"),
        (False, False, False, "fetch_story_text is off"),
    ],
)
def test_only_a_story_without_text_on_a_site_that_turned_it_on_is_fetched(
    has_text: bool, is_turned_on: bool, should_fetch: bool, reason_mentions: str
) -> None:
    decided, reason = decide(has_text=has_text, is_turned_on=is_turned_on)
    assert decided is should_fetch
    assert reason_mentions in reason


def test_a_story_is_looked_at_by_one_task_at_a_time_and_then_left_alone_a_while() -> None:
    fetches = StoryTextFetches(limits=LIMITS, delay_seconds=0)
    assert fetches.claim(7) is True
    assert fetches.claim(7) is False
    assert fetches.claim(8) is True
    fetches.release(7, quiet_seconds=3600)
    assert fetches.claim(7) is False
    fetches.release(8, quiet_seconds=0)
    assert fetches.claim(8) is True
