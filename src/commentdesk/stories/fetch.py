"""Fetch a story's text from its own page: only URLs on the site's allowed origins (every
redirect re-checked), within a time and a size limit, text/html only, and the article's main text
extracted by trafilatura. Knows nothing of the database: callers decide when and store the text.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass

import httpx2

from commentdesk.errors import InvalidInput
from commentdesk.stories.schemas import PAGE_TEXT_LIMIT
from commentdesk.urls import origin_of

USER_AGENT = "Commentdesk story-text fetcher"
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class FetchLimits:
    """How far one fetch may go: the whole fetch (connect, each redirect, reading) must end within
    `timeout_seconds`; a body past `max_bytes` is refused; the text is cut to `max_text_length`."""

    timeout_seconds: float = 3.0
    max_bytes: int = 1_000_000
    max_redirects: int = 3
    max_text_length: int = PAGE_TEXT_LIMIT


class StoryFetchFailed(Exception):
    """The page gave no usable text. `code` is stable (for logs and tests), `message` is for
    people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def fetch_story_text(
    url: str,
    *,
    allowed_origins: Collection[str],
    limits: FetchLimits,
    transport: httpx2.BaseTransport | None = None,
) -> str:
    """The main text of the article at `url`, whitespace collapsed and cut to the limit.
    Raises StoryFetchFailed with the reason when the page cannot be used."""
    deadline = time.monotonic() + limits.timeout_seconds
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html",
        # Uncompressed only: the size limit then counts what is held in memory, and no
        # compressed body can expand past it in one chunk.
        "Accept-Encoding": "identity",
    }
    with httpx2.Client(transport=transport, headers=headers, follow_redirects=False) as client:
        target = url
        for _ in range(limits.max_redirects + 1):
            _check_origin(target, allowed_origins)
            request = client.build_request("GET", target, timeout=_remaining(deadline))
            try:
                response = client.send(request, stream=True)
            except httpx2.TimeoutException as error:
                raise _timed_out(limits) from error
            except httpx2.HTTPError as error:
                raise StoryFetchFailed(
                    "unreachable", f"The page could not be reached: {error}."
                ) from error
            try:
                if response.next_request is not None:
                    target = str(response.next_request.url)
                    continue
                html = _read_html(response, deadline=deadline, limits=limits)
            finally:
                response.close()
            return extract_text(html, max_length=limits.max_text_length)
    raise StoryFetchFailed(
        "too_many_redirects", f"The page redirected more than {limits.max_redirects} times."
    )


def extract_text(html: bytes | str, *, max_length: int) -> str:
    """The article's main text in `html` (no navigation, footer or comments), whitespace
    collapsed, cut at a word boundary to `max_length` characters."""
    # Imported here: trafilatura and lxml take a noticeable time to load, and only sites that
    # turn fetching on need them.
    import trafilatura

    text = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
    )
    collapsed = " ".join((text or "").split())
    if not collapsed:
        raise StoryFetchFailed("no_text", "No article text was found on the page.")
    if len(collapsed) <= max_length:
        return collapsed
    cut = collapsed[:max_length]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


def _check_origin(url: str, allowed_origins: Collection[str]) -> None:
    try:
        origin = origin_of(url)
    except InvalidInput as error:
        raise StoryFetchFailed("origin_not_allowed", f"{url} is not an http(s) URL.") from error
    # The allowed origins are the guard against fetching anything else (an internal address, a
    # metadata service): the publisher declared these hosts as theirs.
    if origin not in allowed_origins:
        raise StoryFetchFailed(
            "origin_not_allowed", f"{origin} is not one of the site's allowed origins."
        )


def _remaining(deadline: float) -> float:
    return max(deadline - time.monotonic(), 0.001)


def _timed_out(limits: FetchLimits) -> StoryFetchFailed:
    return StoryFetchFailed(
        "timeout", f"The page took longer than {limits.timeout_seconds:g} s to arrive."
    )


def _read_html(response: httpx2.Response, *, deadline: float, limits: FetchLimits) -> bytes | str:
    if response.status_code != 200:
        raise StoryFetchFailed("http_error", f"The page answered {response.status_code}.")
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "text/html":
        raise StoryFetchFailed("not_html", f"The page is {media_type or 'untyped'}, not HTML.")
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding != "identity":
        raise StoryFetchFailed("compressed", f"The page came {encoding}-encoded; asked for none.")
    declared = response.headers.get("content-length", "")
    too_large = StoryFetchFailed("too_large", f"The page is larger than {limits.max_bytes} bytes.")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise too_large
    body = bytearray()
    try:
        for chunk in response.iter_raw(CHUNK_BYTES):
            body += chunk
            if len(body) > limits.max_bytes:
                raise too_large
            # The read timeout covers each wait; a page that trickles in still has to end in time.
            if time.monotonic() > deadline:
                raise _timed_out(limits)
    except httpx2.TimeoutException as error:
        raise _timed_out(limits) from error
    except httpx2.HTTPError as error:
        raise StoryFetchFailed("unreachable", f"The page broke off: {error}.") from error
    charset = response.charset_encoding
    if charset is None:
        # trafilatura detects the encoding of bytes from the page's own <meta charset>.
        return bytes(body)
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return bytes(body)
