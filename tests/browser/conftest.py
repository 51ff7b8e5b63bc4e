"""Browser-test fixtures: the real `commentdesk demo` server in a subprocess, headless Chromium.

Chromium is the system one (no Playwright download); COMMENTDESK_TEST_CHROMIUM overrides its path.
COMMENTDESK_TEST_SERVER_URL points the tests at an already running demo instead of starting one.
"""

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from commentdesk.demo import MODERATOR_EMAIL

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("COMMENTDESK_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_SECONDS = 30
TIMEOUT_MS = 10_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# A publisher's page on another origin than the comment server: the demo allows it to embed.
HOST_PAGE_PORT = free_port()
HOST_PAGE_ORIGIN = f"http://127.0.0.1:{HOST_PAGE_PORT}"


def wait_until_serving(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = log_path.read_text(errors="replace")
            raise RuntimeError(f"demo server exited with {process.returncode}:\n{log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass  # not listening yet
        time.sleep(0.2)
    log = log_path.read_text(errors="replace")
    raise RuntimeError(f"demo server did not answer {url} within {STARTUP_SECONDS}s:\n{log}")


@dataclass(frozen=True)
class DemoServer:
    url: str
    log_path: Path | None


@pytest.fixture(scope="module")
def demo_instance(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoServer]:
    """A freshly seeded demo server and its log, stopped after the module's tests. A module
    may set SCORING_BUDGET_SECONDS (default 20) for its server."""
    if running := os.environ.get("COMMENTDESK_TEST_SERVER_URL"):
        yield DemoServer(running.rstrip("/"), None)
        return
    data_dir = tmp_path_factory.mktemp("demo-data")
    log_path = tmp_path_factory.mktemp("demo-log") / "server.log"
    port = free_port()
    command = [sys.executable, "-m", "commentdesk", "demo", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--data-dir", str(data_dir)]
    command += ["--origin", HOST_PAGE_ORIGIN]
    with log_path.open("wb") as log:
        # Posting waits for the scorers, however busy the browser keeps this machine: the tests
        # look for a comment the moment it is posted (scoring after the write has its own tests).
        budget = str(getattr(request.module, "SCORING_BUDGET_SECONDS", 20))
        env = {**os.environ, "COMMENTDESK_SCORING_BUDGET_SECONDS": budget}
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, env=env
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_until_serving(f"{base_url}/", process, log_path)
            yield DemoServer(base_url, log_path)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture(scope="module")
def demo_server(demo_instance: DemoServer) -> str:
    """Base URL of a freshly seeded demo server."""
    return demo_instance.url


@pytest.fixture(scope="session")
def host_page_origin() -> str:
    """The origin of the publisher's page in the cross-origin tests; the demo allows it. (A
    fixture, not an import: pytest loads this file under its own module name.)"""
    return HOST_PAGE_ORIGIN


@pytest.fixture(scope="module")
def sso_secret(demo_instance: DemoServer) -> str:
    """The demo site's SSO secret, as the demo printed it."""
    if demo_instance.log_path is None:
        pytest.skip("the SSO secret of an already running demo is not known")
    printed = re.search(
        r"SSO secret \(site [^)]+\): (\S+)", demo_instance.log_path.read_text(errors="replace")
    )
    assert printed is not None, "the demo did not print its SSO secret"
    return printed.group(1)


@pytest.fixture(scope="module")
def moderator_login(demo_instance: DemoServer) -> tuple[str, str]:
    """The demo moderator's email and the password the demo printed at start-up."""
    if demo_instance.log_path is None:
        password = os.environ.get("COMMENTDESK_TEST_MODERATOR_PASSWORD")
        if not password:
            pytest.skip("set COMMENTDESK_TEST_MODERATOR_PASSWORD for an already running demo")
        return MODERATOR_EMAIL, password
    printed = re.search(r"Password:\s+(\S+)", demo_instance.log_path.read_text(errors="replace"))
    assert printed is not None, "the demo did not print the moderator's password"
    return MODERATOR_EMAIL, printed.group(1)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[[], Any]]:
    """Opens fresh pages, each in its own browser context (own cookies and storage, like
    another reader's browser); any uncaught script error in one fails the test."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    contexts: list[Any] = []
    script_errors: list[str] = []

    def open_one() -> Any:
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: script_errors.append(str(error)))
        return page

    yield open_one
    for context in contexts:
        context.close()
    assert script_errors == [], f"uncaught errors in the page: {script_errors}"


@pytest.fixture
def page(open_page: Callable[[], Any]) -> Any:
    """A fresh page (own cookies and storage) whose uncaught script errors fail the test."""
    return open_page()


@pytest.fixture
def host_site(tmp_path: Path, host_page_origin: str) -> Iterator[Path]:
    """A directory served as the publisher's site on the origin the demo allows."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    port = int(host_page_origin.rsplit(":", 1)[1])
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tmp_path
    finally:
        server.shutdown()
        server.server_close()
