"""An accepted comment survives kill -9 of the server: the real server, the real CLI, SQLite."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx
import pytest

ORIGIN = "https://durable.example"
# Five different comments per reader: the site's default limits (5 a minute, no repeats) hold.
BODIES = [
    "The branch closures will hurt students most.",
    "Has anyone asked the county to share the cost?",
    "I used the Eastside computers to find my current job.",
    "Sunday hours matter more than the kiosks do.",
    "Could the parks program share the Millbrook building?",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cli(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "commentdesk", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


@pytest.fixture
def server_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "COMMENTDESK_DATA_DIR": str(tmp_path)}
    env.pop("COMMENTDESK_DATABASE_URL", None)
    return env


def test_accepted_comments_survive_kill_9(server_env: dict[str, str], tmp_path: Path) -> None:
    cli("db", "upgrade", env=server_env)
    site = json.loads(
        cli("create-site", "Durable News", "--origin", ORIGIN, "--json", env=server_env)
    )
    assert site["api_key"].startswith("cdk_")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "commentdesk", "serve", "--port", str(port)],
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    accepted: list[int] = []
    try:
        with httpx.Client(base_url=base, timeout=10) as client:
            for _ in range(100):
                try:
                    client.get("/api/v1/counts", params={"url": ORIGIN + "/a"})
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            first_sight = client.get(
                "/api/v1/threads",
                params={"url": f"{ORIGIN}/first-sight"},
                headers={"Origin": ORIGIN},
            )
            assert first_sight.status_code == 200, first_sight.text
            story_url = f"{ORIGIN}/2026/story"
            assert (
                client.put(
                    "/api/v1/stories",
                    json={"url": story_url, "title": "Durable"},
                    headers={"X-API-Key": site["api_key"]},
                ).status_code
                == 201
            )
            tokens = [
                client.post(
                    "/api/v1/auth/register",
                    json={
                        "email": f"durable{number}@example.org",
                        "password": "durable password",
                        "name": f"D{number}",
                    },
                ).json()["token"]
                for number in range(8)
            ]

            def post(number: int) -> int:
                with httpx.Client(base_url=base, timeout=30) as own:
                    response = own.post(
                        "/api/v1/comments",
                        json={"story_url": story_url, "body": BODIES[number % 5] + f" ({number})"},
                        headers={"Authorization": f"Bearer {tokens[number % 8]}"},
                    )
                assert response.status_code == 201, response.text
                return int(response.json()["id"])

            # Concurrent posts land in shared write batches; each must be acknowledged once.
            with ThreadPoolExecutor(max_workers=8) as pool:
                accepted = list(pool.map(post, range(40)))
            assert len(set(accepted)) == 40
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
    with sqlite3.connect(tmp_path / "commentdesk.db") as database:
        statuses = dict(database.execute("SELECT id, status FROM comments").fetchall())
        story_count = database.execute(
            "SELECT comment_count FROM stories WHERE url = ?", (f"{ORIGIN}/2026/story",)
        ).fetchone()[0]
    assert set(accepted) <= set(statuses)
    # Published, or withheld until the assistant has scored it (a comment whose scorers ran
    # late under load waits for scoring after the write, which the kill cut short).
    assert {statuses[number] for number in accepted} <= {"approved", "withheld"}
    # The story counts exactly its published comments.
    assert story_count == sum(statuses[number] == "approved" for number in accepted)
