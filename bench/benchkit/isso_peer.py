"""Isso 0.14.x as a peer: its own virtualenv, config, gunicorn server, seeding over its HTTP API,
and the requests the bench times. Deployed as Isso's docs say: `gunicorn --preload isso.run`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from string import Template
from urllib.parse import quote

from benchkit import workload
from benchkit.http import JsonClient
from benchkit.procs import BenchError, Service, Services, run
from benchkit.wrk import WrkRequest

ISSO_REQUIREMENT = "isso>=0.14,<0.15"
TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "isso.cfg"
_VERSION_PROBE = "import importlib.metadata as m; print(m.version('isso'), m.version('gunicorn'))"


def installed_versions(venv: Path) -> tuple[str, str] | None:
    python = venv / "bin" / "python"
    if not python.exists():
        return None
    probe = subprocess.run(
        [str(python), "-c", _VERSION_PROBE], capture_output=True, text=True, timeout=60, check=False
    )
    if probe.returncode != 0:
        return None
    isso_version, gunicorn_version = probe.stdout.split()
    return isso_version, gunicorn_version


def ensure_venv(venv: Path) -> tuple[str, str]:
    """Reuse venv when it already holds Isso 0.14.x and gunicorn, else build it from PyPI."""
    versions = installed_versions(venv)
    if versions is not None and versions[0].startswith("0.14."):
        return versions
    run([sys.executable, "-m", "venv", "--clear", str(venv)], timeout=120)
    run(
        [
            str(venv / "bin" / "pip"),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            ISSO_REQUIREMENT,
            "gunicorn",
        ],
        timeout=600,
    )
    versions = installed_versions(venv)
    if versions is None or not versions[0].startswith("0.14."):
        raise BenchError(f"could not install {ISSO_REQUIREMENT} into {venv}: got {versions}")
    return versions


class IssoPeer:
    """One Isso server on 127.0.0.1:port with a fresh SQLite database under work_dir."""

    name = "isso"

    def __init__(
        self, *, venv: Path, work_dir: Path, port: int, workers: int, gunicorn_version: str
    ) -> None:
        self.venv, self.work_dir, self.port, self.workers = venv, work_dir, port, workers
        self.gunicorn_version = gunicorn_version
        self.client = JsonClient("127.0.0.1", port)
        self.thread_response_bytes = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def probe_url(self) -> str:
        return f"{self.base_url}/config"

    @property
    def served_by(self) -> str:
        return (
            f"gunicorn {self.gunicorn_version} (sync worker, -w {self.workers} --preload "
            f"isso.run), as in Isso's deployment docs"
        )

    def write_config(self) -> Path:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        database = self.work_dir / "isso.db"
        for stale in self.work_dir.glob("isso.db*"):
            stale.unlink()
        config = self.work_dir / "isso.cfg"
        config.write_text(
            Template(TEMPLATE.read_text()).substitute(
                dbpath=database, origin=workload.ORIGIN, port=self.port
            )
        )
        return config

    def start(self, services: Services) -> Service:
        config = self.write_config()
        command = [
            str(self.venv / "bin" / "gunicorn"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--preload",
        ]
        if int(self.gunicorn_version.split(".")[0]) >= 27:
            # gunicorn 27 otherwise opens a control socket under ~/.gunicorn.
            command.append("--no-control-socket")
        command.append("isso.run")
        env = {**os.environ, "ISSO_SETTINGS": str(config)}
        service = services.start(
            Service("isso", command, self.work_dir / "isso.log", env=env, cwd=self.work_dir)
        )
        service.wait_for_http(f"{self.base_url}/config", timeout=60)
        return service

    def _headers(self, path: str) -> dict[str, str]:
        return {"Origin": workload.ORIGIN, "Referer": workload.ORIGIN + path}

    def _post(self, path: str, payload: dict[str, object]) -> int:
        reply = self.client.expect(
            "POST", f"/new?uri={quote(path)}", (201,), payload=payload, headers=self._headers(path)
        )
        return int(reply.json()["id"])

    def seed(self, comments: list[workload.SeedComment]) -> None:
        """Post the workload through /new; Isso creates the thread from the first comment."""
        ids: dict[int, int] = {}
        for comment in comments:
            payload: dict[str, object] = {
                "text": comment.body,
                "author": workload.ACCOUNT_NAMES[comment.account_index],
                "parent": None if comment.parent_index is None else ids[comment.parent_index],
                "title": workload.STORY_TITLE,
            }
            ids[comment.index] = self._post(workload.STORY_PATH, payload)
        self._post(
            workload.POST_STORY_PATH,
            {"text": "First!", "author": "Ada Brook", "title": workload.POST_STORY_TITLE},
        )

    def check_thread(self, expected: int) -> None:
        reply = self.client.expect("GET", self.thread_requests()[0].path, (200,))
        thread = reply.json()
        seen = sum(1 + len(top["replies"]) for top in thread["replies"])
        if seen != expected:
            raise BenchError(f"Isso returned {seen} comments for the thread, expected {expected}")
        self.thread_response_bytes = len(reply.body)

    def thread_requests(self) -> list[WrkRequest]:
        """One request returns the whole thread: the widget's fetch without its default
        nested_limit=5, so every reply comes back as in Commentdesk's pages."""
        return [WrkRequest("GET", f"/?uri={quote(workload.STORY_PATH)}")]

    def count_requests(self) -> list[WrkRequest]:
        """count.js's request: POST /count with a JSON list of thread URIs."""
        return [
            WrkRequest(
                "POST",
                "/count",
                json.dumps([workload.STORY_PATH]),
                (("Content-Type", "application/json"),),
            )
        ]

    def post_requests(self) -> list[WrkRequest]:
        body = json.dumps({"text": workload.post_body_template("Isso"), "author": "Load Tester"})
        path = workload.POST_STORY_PATH
        return [
            WrkRequest(
                "POST",
                f"/new?uri={quote(path)}",
                body,
                (("Content-Type", "application/json"), *self._headers(path).items()),
            )
        ]

    def close(self) -> None:
        self.client.close()
