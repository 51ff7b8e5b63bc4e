"""The command line, run for real: the demo seeds once and prints a working moderator sign-in;
serve refuses an unmigrated database; create-user makes accounts that can sign in."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest

from tests.test_durability import free_port


def run_cli(
    *args: str, env: dict[str, str], check: bool = True
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "commentdesk", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=check,
    )


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "COMMENTDESK_DATA_DIR": str(tmp_path), "COLUMNS": "200"}
    env.pop("COMMENTDESK_DATABASE_URL", None)
    return env


def start_demo(data_dir: Path, port: int) -> tuple[subprocess.Popen[str], str]:
    """Start `commentdesk demo`, wait until it serves, return it and its printed password."""
    demo = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "commentdesk",
            "demo",
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert demo.stdout is not None
    password = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = demo.stdout.readline()
        found = re.search(r"Password:\s+(\S+)", line)
        if found:
            password = found.group(1)
        # Uvicorn says "running" once it listens; "startup complete" comes before the socket
        # is bound, and a busy machine then refuses the first request.
        if "Uvicorn running" in line:
            break
    assert password, "the demo printed no moderator password"
    return demo, password


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    if process.stdout is not None:
        process.stdout.close()


def test_demo_prints_a_moderator_sign_in_that_works_and_reseeds_nothing(tmp_path: Path) -> None:
    counts = []
    for _ in range(2):
        port = free_port()
        demo, password = start_demo(tmp_path, port)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
                login = client.post(
                    "/api/v1/auth/login",
                    json={"email": "editor@ledger.example", "password": password},
                )
                assert login.status_code == 200, login.text
                assert login.json()["account"]["role"] == "moderator"
                page = client.get("/")
                assert page.status_code == 200
                assert "Closing the branch libraries" in page.text
                assert 'id="commentdesk-thread"' in page.text
                thread = client.get(
                    "/api/v1/threads",
                    params={
                        "url": "https://ledger.example/2026/11/opinion/keep-the-branch-libraries-open"
                    },
                ).json()
                counts.append(thread["story"]["comment_count"])
        finally:
            stop(demo)
    assert counts == [6, 6]


def test_serve_refuses_an_unmigrated_database(cli_env: dict[str, str]) -> None:
    result = run_cli("serve", "--port", str(free_port()), env=cli_env, check=False)
    assert result.returncode == 1
    assert "commentdesk db upgrade" in result.stdout + result.stderr


def test_create_user_and_site_from_the_command_line(cli_env: dict[str, str]) -> None:
    run_cli("db", "upgrade", env=cli_env)
    site = json.loads(
        run_cli(
            "create-site", "Example", "--origin", "https://ex.example", "--json", env=cli_env
        ).stdout
    )
    assert site["slug"] == "example" and site["api_key"].startswith("cdk_")
    user = json.loads(
        run_cli(
            "create-user",
            "mod@ex.example",
            "--name",
            "Mod",
            "--role",
            "moderator",
            "--json",
            env=cli_env,
        ).stdout
    )
    assert user["role"] == "moderator" and len(user["password"]) >= 12
    again = run_cli("create-user", "mod@ex.example", "--name", "Mod", env=cli_env, check=False)
    assert again.returncode == 1
    assert "already exists" in again.stdout
    check = run_cli("db", "check", env=cli_env)
    assert "No drift" in check.stdout


def test_rescore_scores_the_comments_a_web_process_left_waiting(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    """A web process that never waits for its scorers and leaves the work to a worker: the
    comment is stored withheld, and `commentdesk rescore --once` scores and publishes it."""
    from fastapi.testclient import TestClient

    from commentdesk.app import create_app
    from commentdesk.comments.models import Comment
    from commentdesk.db.engine import build_engine
    from commentdesk.demo import utc_now
    from commentdesk.settings import Settings
    from commentdesk.sites import service as sites

    run_cli("db", "upgrade", env=cli_env)
    web = Settings(data_dir=tmp_path, scoring_budget_seconds=0, background_scoring=False)
    engine = build_engine(web)
    app = create_app(web, engine=engine)
    with app.state.writer_factory() as session:
        sites.create_site(
            session, name="Worker News", origins=["https://worker.example"], now=utc_now()
        )
        session.commit()
    story_url = "https://worker.example/2026/budget"
    with TestClient(app) as client:
        client.get("/api/v1/threads", params={"url": story_url, "title": "Council budget"})
        token = client.post(
            "/api/v1/auth/register",
            json={"email": "w@example.org", "password": "correct horse battery", "name": "W"},
        ).json()["token"]
        posted = client.post(
            "/api/v1/comments",
            json={"story_url": story_url, "body": "The library hours matter most to me."},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
    assert posted["status"] == "withheld"

    worker = run_cli("rescore", "--once", env=cli_env)
    assert "Scored 1 waiting comments." in worker.stdout
    with app.state.reader_factory() as session:
        assert session.get_one(Comment, posted["id"]).status == "approved"
    engine.dispose()
    # Nothing is left: a second pass has nothing to do.
    assert "Scored 0 waiting comments." in run_cli("rescore", "--once", env=cli_env).stdout
