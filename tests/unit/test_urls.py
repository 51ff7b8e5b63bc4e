"""Story URL canonicalisation."""

from __future__ import annotations

import pytest

from commentdesk.errors import InvalidInput
from commentdesk.urls import canonical_origin, canonical_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://News.Example/a?b=1#comments", "https://news.example/a?b=1"),
        ("http://news.example:80/a", "http://news.example/a"),
        ("https://news.example:8443/a", "https://news.example:8443/a"),
        ("https://news.example", "https://news.example/"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://news.example/a", "https://", "https://x:99999/"]
)
def test_non_http_urls_are_invalid(url: str) -> None:
    with pytest.raises(InvalidInput):
        canonical_url(url)


def test_canonical_origin_accepts_bare_origins_and_urls() -> None:
    assert canonical_origin("http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert canonical_origin("https://News.example/path") == "https://news.example"
