"""Which domains a comment links to, from its rendered anchors and the bare domains in its
text. Pure: no network, no database."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

_BARE_DOMAIN = re.compile(
    r"\b(?:https?://)?((?:[a-z0-9-]+\.)+(?:com|net|org|info|biz|io|co|ru|cn|xyz|top|ly|me|us|uk|"
    r"de|es|fr|it|nl|eu|tk|ml|ga|cf|gq|app|dev|site|online|shop|club|link|click))\b",
    re.IGNORECASE,
)


def linked_domains(html: str, body: str) -> list[str]:
    """Domains a comment links to: its anchors' hosts and bare domains in its text."""
    collector = _Anchors()
    collector.feed(html)
    found: dict[str, None] = {}
    for href in collector.hrefs:
        host = urlsplit(href).hostname
        if host:
            found.setdefault(host.lower().removeprefix("www."), None)
    for match in _BARE_DOMAIN.finditer(body):
        found.setdefault(match.group(1).lower().removeprefix("www."), None)
    return list(found)


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]
