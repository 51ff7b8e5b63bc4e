"""Campaign clustering benchmark: its speed on a full scan, and what it finds in real comments.

Measures, on this machine, with the default settings (24 h, 3 accounts, 0.7 alike):
- the time (wall and CPU) `find_clusters` takes on SCAN_LIMIT (2,000) real comments spread
  over 20 stories, with three planted campaigns of five paraphrased pitches each (median of 5
  runs); how many planted campaigns it finds, and how many clusters of unrelated comments;
- on the UCI YouTube Spam Collection (each video a story, each comment its own account): how
  many clusters it makes, and the share of their members labelled spam.
Reads ../shared/data (never shipped); run `.venv/bin/python bench/campaign_bench.py`.
"""

from __future__ import annotations

import csv
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from commentdesk.moderation.campaigns import SCAN_LIMIT, Posting, find_clusters

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
START = datetime(2026, 11, 28, tzinfo=UTC)
PITCHES = [
    "Tired of high energy bills? I cut mine in half with SolarMax panels, see solarmax.example!",
    "Vote NO on the library levy. Our taxes are already too high, tell the council: stop now!",
    "I made $4,000 last month working from home, no experience needed. Details on my profile.",
]
SWAPS = [("high", "huge"), ("I ", "i "), ("!", "!!"), (",", " -"), ("the", "our")]


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name / "comments.csv").open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def planted_scan() -> tuple[list[Posting], set[int]]:
    texts = [row["text"] for row in rows("civil_comments_sample1k")]
    texts += [row["text"] for row in rows("jigsaw_toxic_train")]
    postings = []
    for index, text in enumerate(texts[: SCAN_LIMIT - 15]):
        posted_at = START + timedelta(seconds=40 * index)
        postings.append(Posting(index, index % 20, index, text, posted_at))
    planted: set[int] = set()
    for number, pitch in enumerate(PITCHES):
        for copy, (old, new) in enumerate(SWAPS):
            comment_id = 100_000 + 10 * number + copy
            planted.add(comment_id)
            posted_at = START + timedelta(minutes=30 * copy)
            postings.append(
                Posting(comment_id, number, comment_id, pitch.replace(old, new, 1), posted_at)
            )
    return postings, planted


def main() -> int:
    if not DATA.exists():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    options = {"window": timedelta(hours=24), "min_accounts": 3, "similarity": 0.7}
    postings, planted = planted_scan()
    wall, cpu = [], []
    for _ in range(5):
        started, started_cpu = time.perf_counter(), time.process_time()
        clusters = find_clusters(postings, **options)  # type: ignore[arg-type]
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    found = [set(cluster.comment_ids) for cluster in clusters]
    print(
        f"{len(postings)} comments: median {statistics.median(wall) * 1000:.0f} ms "
        f"({statistics.median(cpu) * 1000:.0f} ms of CPU)"
    )
    print(f"planted campaigns found whole: {sum(1 for group in found if group <= planted)} of 3")
    print(f"clusters of unplanted comments: {sum(1 for group in found if not group & planted)}")

    youtube = rows("youtube_spam")
    videos = sorted({row["video"] for row in youtube})
    spam = {index for index, row in enumerate(youtube) if row["spam"] == "1"}
    clusters = find_clusters(
        [
            Posting(index, videos.index(row["video"]), index, row["text"], START)
            for index, row in enumerate(youtube)
        ],
        **options,  # type: ignore[arg-type]
    )
    members = {comment_id for cluster in clusters for comment_id in cluster.comment_ids}
    print(
        f"YouTube ({len(youtube)} comments, {len(spam)} spam): {len(clusters)} clusters, "
        f"{len(members)} members, {len(members & spam)} of them spam "
        f"({len(members & spam) / max(1, len(members)):.1%})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
