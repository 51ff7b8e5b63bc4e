"""Moderation benchmark: the pipeline's throughput with a 5,000-word banned list (side by side
with the usual peer, one big case-insensitive regular expression), and, on a database of
1,000,000 comments on SQLite and PostgreSQL, the time to the first page of the priority queue
and to all six queue counts (what the desk's header shows).

Run `.venv/bin/python bench/moderation_bench.py` (or `make bench-moderation`); PostgreSQL is
used when COMMENTDESK_TEST_DATABASE_URL names a server the bench may create a database on.
Results go to bench/results/moderation.json."""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import string
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from commentdesk.accounts.models import Account
from commentdesk.comments.models import Comment
from commentdesk.comments.render import render
from commentdesk.db import migrate
from commentdesk.db.engine import build_engine, build_session_factories
from commentdesk.moderation import pipeline
from commentdesk.moderation.models import Flag
from commentdesk.moderation.queues import (
    COUNT_CAP,
    QueueName,
    QueueOrder,
    count_queues,
    list_queue,
)
from commentdesk.moderation.rules import CompiledLists, Draft
from commentdesk.moderation.settings import ModerationSettings
from commentdesk.settings import Settings
from commentdesk.sites.models import Site
from commentdesk.stories.models import Story

RESULTS = Path(__file__).resolve().parent / "results" / "moderation.json"
console = Console()
WORDS = [
    "council",
    "budget",
    "library",
    "branch",
    "hours",
    "county",
    "residents",
    "vote",
    "plan",
    "cost",
    "kiosk",
    "program",
    "students",
    "computers",
    "bus",
    "route",
    "families",
    "schools",
    "taxes",
    "parks",
    "report",
    "data",
    "survey",
]


def fake_word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 11)))


def comment_text(rng: random.Random, banned: list[str]) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(20, 60))]
    if rng.random() < 0.05:
        words[rng.randrange(len(words))] = rng.choice(banned).rstrip("*")
    return " ".join(words).capitalize() + "."


def bench_pipeline(count: int, rounds: int) -> dict[str, float]:
    rng = random.Random(2026)
    banned = [fake_word(rng) for _ in range(4_800)] + [fake_word(rng) + "*" for _ in range(200)]
    settings = ModerationSettings(banned_words=banned, suspect_words=banned[:500])
    lists = CompiledLists.of(settings)
    now = datetime.now(UTC)
    texts = [comment_text(rng, banned) for _ in range(count)]
    drafts = [
        Draft(
            body=body,
            html=render(body),
            story_is_closed=False,
            story_is_premoderated=False,
            author_role="commenter",
            author_status="active",
            author_suspended_until=None,
            author_is_premoderated=False,
            author_approved_count=5,
            is_over_rate_limit=False,
            recent_posts=(),
            settings=settings,
            now=now,
        )
        for body in texts
    ]
    pattern = re.compile(
        r"\b(?:"
        + "|".join(
            re.escape(word.rstrip("*")) + (r"\w*" if word.endswith("*") else "") for word in banned
        )
        + r")\b",
        re.IGNORECASE,
    )

    def ours() -> int:
        return sum(pipeline.run(draft, lists).verdict != "approve" for draft in drafts)

    def peer() -> int:
        return sum(bool(pattern.search(body)) for body in texts)

    rates: dict[str, list[float]] = {"commentdesk": [], "regex": []}
    for _ in range(rounds):
        for name, run in (("commentdesk", ours), ("regex", peer)):
            started = time.perf_counter()
            run()
            rates[name].append(count / (time.perf_counter() - started))
    console.print(f"  flagged by the pipeline: {ours()}, by the regex: {peer()} of {count}")
    best = {name: max(values) for name, values in rates.items()}
    return {
        "pipeline_comments_per_s": round(best["commentdesk"], 1),
        "regex_comments_per_s": round(best["regex"], 1),
        "pipeline_vs_regex": round(best["commentdesk"] / best["regex"], 2),
        "banned_words": len(banned),
    }


def seed(url: str, total: int, queued: int) -> None:
    engine = create_engine(url)
    migrate.upgrade(engine)
    now = datetime.now(UTC)
    rng = random.Random(7)
    with engine.begin() as connection:
        site_id = connection.execute(
            insert(Site).returning(Site.id),
            {
                "slug": "bench",
                "name": "Bench",
                "policy_text": "",
                "disclaimer_text": "",
                "is_premoderated": False,
                "edit_window_seconds": 600,
                "api_key_hash": uuid.uuid4().hex,
                "settings_version": 1,
                "created_at": now,
            },
        ).scalar_one()
        account_ids = [
            connection.execute(
                insert(Account).returning(Account.id),
                {
                    "display_name": f"Reader {n}",
                    "role": "commenter",
                    "status": "active",
                    "is_premoderated": False,
                    "created_at": now,
                },
            ).scalar_one()
            for n in range(200)
        ]
        story_ids = [
            connection.execute(
                insert(Story).returning(Story.id),
                {
                    "site_id": site_id,
                    "url": f"https://bench.example/story/{n}",
                    "title": f"S{n}",
                    "body_text": "",
                    "is_closed": False,
                    "comment_count": 0,
                    "created_at": now,
                    "updated_at": now,
                },
            ).scalar_one()
            for n in range(2_000)
        ]
    chunk = 20_000
    with Progress(console=console) as progress:
        task = progress.add_task(f"seeding {total:,} comments", total=total)
        made = 0
        while made < total:
            rows = []
            for index in range(made, min(total, made + chunk)):
                is_queued = index % (total // queued) == 0
                rows.append(
                    {
                        "site_id": site_id,
                        "story_id": story_ids[index % len(story_ids)],
                        "author_id": account_ids[index % len(account_ids)],
                        "parent_id": None,
                        "root_id": None,
                        "depth": 0,
                        "body": "A seeded comment about the budget.",
                        "html": "<p>A seeded comment about the budget.</p>",
                        "status": "pending" if is_queued else "approved",
                        "status_reason": None,
                        "is_featured": False,
                        "reaction_count": rng.randint(0, 20),
                        "reply_count": rng.randint(0, 5),
                        "created_at": now - timedelta(seconds=total - index),
                        "edited_at": None,
                    }
                )
            with engine.begin() as connection:
                connection.execute(insert(Comment), rows)
            made += len(rows)
            progress.update(task, completed=made)
    with engine.begin() as connection:
        pending = [
            row[0]
            for row in connection.execute(text("SELECT id FROM comments WHERE status = 'pending'"))
        ]
        connection.execute(
            insert(Flag),
            [
                {
                    "comment_id": comment_id,
                    "account_id": account_ids[n % len(account_ids)],
                    "source": "reader",
                    "reason": "abusive",
                    "note": None,
                    "status": "open",
                    "weight": 0.5,
                    "created_at": now,
                    "revision_id": None,
                    "resolved_at": None,
                }
                for n, comment_id in enumerate(pending[::3])
            ],
        )
    if engine.dialect.name == "postgresql":
        # A live database is vacuumed and analysed by autovacuum; right after a bulk load it is
        # not yet, and the planner would guess from empty statistics. SQLite has no such daemon,
        # so it is measured as loaded.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def bench_queue(url: str, label: str, total: int, queued: int, requests: int) -> dict[str, float]:
    console.print(f"[bold]{label}[/bold]: {total:,} comments, {queued:,} in the queue")
    started = time.perf_counter()
    seed(url, total, queued)
    seeded = time.perf_counter() - started
    settings = Settings(database_url=url)
    _, writer = build_session_factories(build_engine(settings))
    timings: dict[str, list[float]] = {"priority": [], "oldest": [], "counts": []}
    with writer() as session:
        session.add(
            Account(
                display_name="Desk",
                role="admin",
                status="active",
                is_premoderated=False,
                created_at=datetime.now(UTC),
            )
        )
        session.commit()
    for _ in range(requests):
        for order in (QueueOrder.PRIORITY, QueueOrder.OLDEST):
            with writer() as session:
                desk = session.query(Account).filter_by(role="admin").one()
                began = time.perf_counter()
                page = list_queue(
                    session,
                    queue=QueueName.PENDING,
                    moderator=desk,
                    order=order,
                    limit=50,
                    now=datetime.now(UTC),
                )
                timings[order].append(time.perf_counter() - began)
                assert page.count == queued and len(page.items) == 50
        with writer() as session:
            desk = session.query(Account).filter_by(role="admin").one()
            began = time.perf_counter()
            counts = count_queues(session, moderator=desk)
            timings["counts"].append(time.perf_counter() - began)
            assert counts.label("pending") == (
                f"{COUNT_CAP}+" if queued > COUNT_CAP else str(queued)
            )
    return {
        "seconds_to_seed": round(seeded, 1),
        "priority_first_page_ms_median": round(statistics.median(timings["priority"]) * 1000, 1),
        "oldest_first_page_ms_median": round(statistics.median(timings["oldest"]) * 1000, 1),
        "all_six_counts_ms_median": round(statistics.median(timings["counts"]) * 1000, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--queued", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=7)
    parser.add_argument("--drafts", type=int, default=2_000)
    args = parser.parse_args()
    results: dict[str, object] = {
        "started_at": datetime.now(UTC).isoformat(),
        "machine": {"nproc": os.cpu_count(), "python": sys.version.split()[0]},
    }
    console.print("[bold]Pipeline[/bold]: 5,000-word banned list, no scorers")
    results["pipeline"] = bench_pipeline(args.drafts, rounds=3)
    with tempfile.TemporaryDirectory() as directory:
        results["queue_sqlite"] = bench_queue(
            f"sqlite:///{directory}/queue.db", "SQLite", args.comments, args.queued, args.requests
        )
    admin_url = os.environ.get("COMMENTDESK_TEST_DATABASE_URL")
    if admin_url:
        name = f"commentdesk_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
            results["queue_postgresql"] = bench_queue(
                url, "PostgreSQL", args.comments, args.queued, args.requests
            )
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    table = Table(title="Moderation benchmark")
    table.add_column("measure")
    table.add_column("value", justify="right")
    pipeline_result = results["pipeline"]
    assert isinstance(pipeline_result, dict)
    for key, value in pipeline_result.items():
        table.add_row(f"pipeline {key}", str(value))
    for backend in ("queue_sqlite", "queue_postgresql"):
        found = results.get(backend)
        if isinstance(found, dict):
            for key, value in found.items():
                table.add_row(f"{backend} {key}", str(value))
    console.print(table)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    console.print(f"Wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
