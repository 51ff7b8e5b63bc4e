"""A real HTTP server on loopback standing in for a publisher's site, for the story-text fetch
tests: an article, a huge page, a slow page, a non-HTML page and redirects. Every wait in it is
bounded, and closing the server releases the slow page at once."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE_SENTENCE = "The council voted on Tuesday to keep the branch libraries open on Sundays."
NAVIGATION_TEXT = "Subscribe to our newsletter for the day's top stories"
ARTICLE_HTML = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Libraries stay open</title></head>
<body>
<header><nav><a href="/">Home</a> <a href="/politics">Politics</a>
<a href="/newsletter">{NAVIGATION_TEXT}</a></nav></header>
<main><article>
<h1>Libraries stay open on Sundays</h1>
<p>{ARTICLE_SENTENCE} The decision came after a petition signed by more than four thousand
residents, who argued that Sunday is the only day many working families can visit.</p>
<p>Councillors debated the cost for nearly two hours. The finance committee had proposed closing
three of the seven branches on Sundays to save money on staff and heating over the winter.</p>
<p>“Libraries are where children do their homework and where older residents read the paper,”
said the chair of the culture committee. The budget for next year will now be revised to find
the savings elsewhere, starting with the council's own vehicle fleet.</p>
<p>Library staff said they welcomed the vote but warned that the buildings still need repairs,
and that several roofs leak whenever it rains heavily in the autumn months.</p>
</article></main>
<footer><p>Copyright The Example News. All rights reserved. Terms and privacy.</p></footer>
</body></html>
""".encode()
SLOW_SECONDS = 2.0
HUGE_BYTES = 1_500_000


class _Handler(BaseHTTPRequestHandler):
    server: _PagesServer

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.requested.append(path)
        if path == "/article":
            self._send(200, "text/html; charset=utf-8", ARTICLE_HTML)
        elif path == "/hop":
            self._redirect("/article")
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/away":
            # Same server, another origin: localhost is not 127.0.0.1 to an origin check.
            self._redirect(f"http://localhost:{self.server.server_port}/article")
        elif path == "/huge":
            self._send_huge(declare_length=False)
        elif path == "/huge-declared":
            self._send_huge(declare_length=True)
        elif path == "/slow":
            self.server.release.wait(SLOW_SECONDS)
            self._send(200, "text/html; charset=utf-8", ARTICLE_HTML)
        elif path == "/data.json":
            self._send(200, "application/json", b'{"text": "not a page"}')
        elif path == "/missing":
            self._send(404, "text/html", b"<p>Not found</p>")
        else:
            self._send(404, "text/plain", b"no such page")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The client may have given up waiting (the slow page), as it should.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send_huge(self, *, declare_length: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if declare_length:
            self.send_header("Content-Length", str(HUGE_BYTES))
        else:
            # No length: the client only learns the size by reading, and must stop itself.
            self.send_header("Connection", "close")
        self.end_headers()
        chunk = b"<p>" + b"filler " * 1400 + b"</p>\n"
        sent = 0
        try:
            while sent < HUGE_BYTES:
                self.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading, as it should

    def log_message(self, format: str, *args: object) -> None:
        pass


class _PagesServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.release = threading.Event()
        self.requested: list[str] = []


@dataclass(frozen=True)
class StoryPages:
    origin: str
    _server: _PagesServer

    def url(self, path: str) -> str:
        return f"{self.origin}{path}"

    def requested(self) -> list[str]:
        """The paths asked for so far, in order."""
        return list(self._server.requested)


@contextmanager
def serve_story_pages() -> Iterator[StoryPages]:
    """The pages server on a free loopback port, for the length of the block."""
    server = _PagesServer()
    thread = threading.Thread(target=server.serve_forever, name="story-pages", daemon=True)
    thread.start()
    try:
        yield StoryPages(origin=f"http://127.0.0.1:{server.server_port}", _server=server)
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
