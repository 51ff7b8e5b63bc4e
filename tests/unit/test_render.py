"""Markdown rendering and sanitising."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from commentdesk.comments.render import ALLOWED_TAGS, render


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("plain", "<p>plain</p>"),
        ("*em* and **strong**", "<p><em>em</em> and <strong>strong</strong></p>"),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("`x = 1`", "<p><code>x = 1</code></p>"),
        ("line one\nline two", "<p>line one<br>\nline two</p>"),
    ],
)
def test_markdown_subset_renders(body: str, expected: str) -> None:
    assert render(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "[click](data:text/html,<script>alert(1)</script>)",
        '<a href="https://x.example" onclick="steal()">x</a>',
        "![tracker](https://tracker.example/pixel.gif)",
    ],
)
def test_dangerous_markup_never_survives(body: str) -> None:
    collector = _Elements()
    collector.feed(render(body))
    for tag, attributes in collector.elements:
        assert tag in ALLOWED_TAGS
        for name, value in attributes:
            assert name in {"href", "rel", "start"}
            if name == "href":
                assert (value or "").startswith(("http://", "https://", "mailto:"))


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))


def test_links_are_marked_user_generated() -> None:
    assert render("[ok](https://example.org) <mailto:desk@example.org>") == (
        '<p><a href="https://example.org" rel="nofollow ugc noopener">ok</a> '
        '<a href="mailto:desk@example.org" rel="nofollow ugc noopener">'
        "mailto:desk@example.org</a></p>"
    )
