"""Commentdesk as a peer: a fresh data dir, `db upgrade`, `create-site`, `serve`, seeding through
the public HTTP API (docs/technical/contract.md), and the requests the bench times."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from benchkit import workload
from benchkit.http import JsonClient
from benchkit.procs import BenchError, Service, Services, run
from benchkit.wrk import WrkRequest

MAX_PAGES = 20
PAGE_LIMIT = 100
PASSWORD = "bench-password-123"
ADMIN_EMAIL = "admin@bench.example"


def count_comments(comments: list[dict[str, object]]) -> int:
    """Comments in a CommentView list, nested replies included."""
    total = 0
    for comment in comments:
        replies = comment.get("replies") or []
        assert isinstance(replies, list)
        total += 1 + count_comments(replies)
    return total


class CommentdeskPeer:
    """`commentdesk serve` on 127.0.0.1:port with its data under work_dir/data."""

    name = "commentdesk"

    def __init__(
        self,
        *,
        executable: Path,
        work_dir: Path,
        port: int,
        scoring: bool = False,
        scoring_budget: float | None = None,
        embedding: str | None = None,
        scoring_processes: int | None = None,
    ) -> None:
        self.executable, self.work_dir, self.port = executable, work_dir, port
        # The moderation assistant's scorers: off by default here, so reads and posts are
        # compared with Isso's (which scores nothing); the scoring bench turns them on, with
        # posting waiting for them (a budget) or not at all (0: scored after the write).
        self.scoring = scoring
        self.scoring_budget = scoring_budget
        self.embedding = embedding
        self.scoring_processes = scoring_processes  # None: the server's default
        self.data_dir = work_dir / "data"
        self.client = JsonClient("127.0.0.1", port)
        self.api_key = ""
        self.site_id = 0
        self.tokens: list[str] = []
        self.page_paths: list[str] = []
        self.pages: list[bytes] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def probe_url(self) -> str:
        return self.base_url + self.count_requests()[0].path

    @property
    def served_by(self) -> str:
        return f"{self.executable.name} serve --host 127.0.0.1 --port {self.port}"

    @property
    def story_url(self) -> str:
        return workload.ORIGIN + workload.STORY_PATH

    @property
    def post_story_url(self) -> str:
        return workload.ORIGIN + workload.POST_STORY_PATH

    def _env(self) -> dict[str, str]:
        # Drop inherited settings so the bench can never touch a developer's real database.
        env = {
            key: value for key, value in os.environ.items() if not key.startswith("COMMENTDESK_")
        }
        env["COMMENTDESK_DATA_DIR"] = str(self.data_dir)
        env["COMMENTDESK_BUILTIN_SCORERS"] = "true" if self.scoring else "false"
        if self.scoring_budget is not None:
            env["COMMENTDESK_SCORING_BUDGET_SECONDS"] = str(self.scoring_budget)
        if self.embedding is not None:
            env["COMMENTDESK_ASSISTANT_EMBEDDING"] = self.embedding
        if self.scoring_processes is not None:
            env["COMMENTDESK_SCORING_PROCESSES"] = str(self.scoring_processes)
        return env

    def prepare(self) -> None:
        """Fresh data dir, migrated database, and one site whose origin is the fake news site."""
        if self.data_dir.exists():
            shutil.rmtree(self.data_dir)
        self.data_dir.mkdir(parents=True)
        env = self._env()
        run([str(self.executable), "db", "upgrade"], timeout=120, env=env, cwd=self.work_dir)
        output = run(
            [
                str(self.executable),
                "create-site",
                "Bench Ledger",
                "--origin",
                workload.ORIGIN,
                "--json",
            ],
            timeout=60,
            env=env,
            cwd=self.work_dir,
        )
        site = _last_json_object(output)
        if "api_key" not in site:
            raise BenchError(f"create-site --json printed no api_key: {output!r}")
        self.api_key = str(site["api_key"])
        self.site_id = int(site["id"])
        run(
            [
                str(self.executable),
                "create-user",
                ADMIN_EMAIL,
                "--name",
                "Bench Admin",
                "--role",
                "admin",
                "--password",
                PASSWORD,
                "--json",
            ],
            timeout=60,
            env=env,
            cwd=self.work_dir,
        )

    def start(self, services: Services) -> Service:
        command = [str(self.executable), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        service = services.start(
            Service(
                "commentdesk",
                command,
                self.work_dir / "serve.log",
                env=self._env(),
                cwd=self.work_dir,
            )
        )
        service.wait_for_http(f"{self.base_url}/api/openapi.json", timeout=60)
        return service

    def seed(self, comments: list[workload.SeedComment]) -> None:
        """Accounts, both stories through the CMS API, then the workload's comments in order.
        The site's rate limit and repeat check are lifted first, as Isso's guard is turned off:
        the bench measures throughput, not the limits."""
        admin = self.client.expect(
            "POST",
            "/api/v1/auth/login",
            (200,),
            payload={"email": ADMIN_EMAIL, "password": PASSWORD},
        )
        self.client.expect(
            "PUT",
            f"/api/v1/moderation/sites/{self.site_id}/settings",
            (200,),
            payload={
                "rate_limit_count": 1000,
                "rate_limit_window_seconds": 1,
                "repeat_window_seconds": 0,
            },
            headers={"Authorization": f"Bearer {admin.json()['token']}"},
        )
        for number, name in enumerate(workload.ACCOUNT_NAMES):
            reply = self.client.expect(
                "POST",
                "/api/v1/auth/register",
                (201,),
                payload={
                    "email": f"reader{number}@bench.example",
                    "password": PASSWORD,
                    "name": name,
                },
            )
            self.tokens.append(str(reply.json()["token"]))
        for url, title in (
            (self.story_url, workload.STORY_TITLE),
            (self.post_story_url, workload.POST_STORY_TITLE),
        ):
            self.client.expect(
                "PUT",
                "/api/v1/stories",
                (200, 201),
                payload={"url": url, "title": title},
                headers={"X-API-Key": self.api_key},
            )
        ids: dict[int, object] = {}
        # Scoring after the write stores comments withheld until the server has scored them.
        accepted = {"approved", "withheld"} if self.scoring_budget == 0 else {"approved"}
        by_index = {comment.index: comment for comment in comments}
        for comment in comments:
            payload: dict[str, object] = {"story_url": self.story_url, "body": comment.body}
            if comment.parent_index is not None:
                payload["parent_id"] = ids[comment.parent_index]
                parent = by_index[comment.parent_index]
                self._wait_published(ids[comment.parent_index], parent.account_index)
            reply = self.client.expect(
                "POST",
                "/api/v1/comments",
                (201,),
                payload=payload,
                headers=self._auth(comment.account_index),
            )
            view = reply.json()
            if view.get("status") not in accepted:
                raise BenchError(f"seeded comment came back {view.get('status')!r}, not approved")
            ids[comment.index] = view["id"]

    def _wait_published(self, comment_id: object, account_index: int) -> None:
        """Until a comment scored after the write is published (a reply needs its parent)."""
        for _ in range(600):
            reply = self.client.expect(
                "GET", f"/api/v1/comments/{comment_id}", (200,), headers=self._auth(account_index)
            )
            if reply.json().get("status") == "approved":
                return
            time.sleep(0.1)
        raise BenchError(f"comment {comment_id} was not published within a minute")

    def _auth(self, account_index: int) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[account_index]}", "Origin": workload.ORIGIN}

    def fetch_pages(self, expected: int) -> list[bytes]:
        """Every page of the full thread, following next_cursor; checks all comments came back."""
        self.page_paths, self.pages = [], []
        query: dict[str, str] = {"url": self.story_url, "limit": str(PAGE_LIMIT)}
        seen = 0
        for _ in range(MAX_PAGES):
            path = f"/api/v1/threads?{urlencode(query)}"
            reply = self.client.expect("GET", path, (200,))
            page = reply.json()
            self.page_paths.append(path)
            self.pages.append(reply.body)
            seen += count_comments(page["comments"])
            if not page.get("next_cursor"):
                break
            query["cursor"] = str(page["next_cursor"])
        else:
            raise BenchError(f"thread still had a next_cursor after {MAX_PAGES} pages")
        if seen != expected:
            raise BenchError(
                f"Commentdesk's {len(self.pages)} thread page(s) held {seen} "
                f"comments, expected {expected}"
            )
        return self.pages

    def check_count(self, expected: int) -> str | None:
        """A problem description if the count call does not answer `expected`, else None.

        Not fatal: the thread and post measurements still mean something without it."""
        path = self.count_requests()[0].path
        reply = self.client.request("GET", path)
        if reply.status != 200:
            body = reply.body[:300].decode(errors="replace")
            return f"GET {path} answered {reply.status}: {body}"
        counted = reply.json().get("counts", {}).get(self.story_url)
        if counted != expected:
            return f"GET {path} counted {counted} comments, expected {expected}"
        return None

    def thread_requests(self) -> list[WrkRequest]:
        return [WrkRequest("GET", path) for path in self.page_paths]

    def count_requests(self) -> list[WrkRequest]:
        return [WrkRequest("GET", f"/api/v1/counts?url={quote(self.story_url, safe='')}")]

    def post_requests(self) -> list[WrkRequest]:
        """One request line per account, so the posting load is spread over all of them."""
        body = json.dumps(
            {"story_url": self.post_story_url, "body": workload.post_body_template("Commentdesk")}
        )
        return [
            WrkRequest(
                "POST",
                "/api/v1/comments",
                body,
                (("Content-Type", "application/json"), *self._auth(account_index).items()),
            )
            for account_index in range(len(self.tokens))
        ]

    def close(self) -> None:
        self.client.close()


def _last_json_object(output: str) -> dict[str, object]:
    for line in reversed(output.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                return value
    try:
        value = json.loads(output)
    except json.JSONDecodeError as error:
        raise BenchError(f"create-site --json printed no JSON object: {output!r}") from error
    if not isinstance(value, dict):
        raise BenchError(f"create-site --json printed {type(value).__name__}, not an object")
    return value
