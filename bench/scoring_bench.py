"""Scoring benchmark: the moderation assistant's speed, memory and cost to posting.

Measures, on this machine:
- the built-in scorers' median and 95th-percentile time per comment scored one at a time, and
  comments per second in batches of 64, on real news comments (Civil Comments sample from
  ../shared/data when present, else generated text);
- this process's resident memory before and after the models load;
- sustained accepted posts per second of `commentdesk serve` with the assistant on and off, in
  the same run, with the same wrk workload as `make bench`, and their ratio.
Run `.venv/bin/python bench/scoring_bench.py` (or `make bench-scoring`).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import time
from pathlib import Path

from benchkit import workload
from benchkit.commentdesk_peer import CommentdeskPeer
from benchkit.procs import BenchError, Services, free_port, settle
from benchkit.wrk import WrkSettings, run_wrk, write_spec

from commentdesk.scoring.builtin.toxicity import ToxicityScorer
from commentdesk.scoring.protocol import ScoringContext

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
DATA = REPO_DIR.parent / "shared" / "data" / "civil_comments_sample1k" / "comments.csv"
TARGETS = {
    "median_ms_one_at_a_time": "<= 15",
    "batch_comments_per_s": ">= 150",
    "resident_mb_with_models": "<= 600",
    "posting_ratio_with_over_without": ">= 0.5",
}
_started = time.monotonic()


def step(message: str) -> None:
    sys.stdout.write(f"[{time.monotonic() - _started:6.1f}s] {message}\n")
    sys.stdout.flush()


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def news_comments(count: int) -> list[str]:
    if DATA.exists():
        with DATA.open(newline="", encoding="utf-8") as handle:
            texts = [row["text"] for row in csv.DictReader(handle)]
        return (texts * (count // len(texts) + 1))[:count]
    generator = random.Random(7)
    return [workload.comment_body(generator, index) for index in range(count)]


def measure_scorers(texts: list[str]) -> dict[str, float]:
    context = ScoringContext(site_id=1, story_title="Budget", story_text="The council's budget.")
    before = resident_mb()
    scorer = ToxicityScorer()
    started = time.perf_counter()
    scorer.load()
    loaded_s = time.perf_counter() - started
    scorer.score("warm up", context)
    step(f"  models loaded in {loaded_s:.1f} s; resident {before:.0f} -> {resident_mb():.0f} MB")
    one: list[float] = []
    for number, text in enumerate(texts[:300]):
        started = time.perf_counter()
        scorer.score_batch([text], [context])
        one.append((time.perf_counter() - started) * 1000)
        if number % 100 == 99:
            step(f"  one at a time: {number + 1} of 300")
    started = time.perf_counter()
    for start in range(0, len(texts), 64):
        chunk = texts[start : start + 64]
        scorer.score_batch(chunk, [context] * len(chunk))
    batch_per_s = len(texts) / (time.perf_counter() - started)
    return {
        "comments": len(texts),
        "mean_chars": round(statistics.mean(len(text) for text in texts)),
        "load_seconds": round(loaded_s, 2),
        "median_ms_one_at_a_time": round(statistics.median(one), 2),
        "p95_ms_one_at_a_time": round(sorted(one)[int(len(one) * 0.95)], 2),
        "batch_comments_per_s": round(batch_per_s, 1),
        "resident_mb_before_models": round(before),
        "resident_mb_with_models": round(resident_mb()),
    }


def posts_per_second(
    peer: CommentdeskPeer, services: Services, settings: WrkSettings, work_dir: Path
) -> float:
    peer.prepare()
    peer.start(services)
    peer.seed(workload.build_comments()[:50])
    spec = write_spec(
        work_dir / f"post-{peer.scoring}.spec",
        peer.post_requests(),
        common_headers={},
        count_statuses=True,
    )
    result = run_wrk(settings, peer.base_url, spec, log_path=work_dir / f"post-{peer.scoring}.log")
    settle(peer.probe_url)
    step(
        f"  scoring {'on' if peer.scoring else 'off'}: {result.ok_per_s:,.1f} accepted posts/s "
        f"(p50 {result.latency_ms['p50']:.0f} ms), {result.requests - result.ok_requests} refused"
    )
    return result.ok_per_s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--commentdesk", type=Path, default=REPO_DIR / ".venv/bin/commentdesk")
    parser.add_argument("--work-dir", type=Path, default=BENCH_DIR / ".work" / "scoring")
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "results" / "scoring.json")
    args = parser.parse_args(argv)
    step(f"Scoring {'Civil Comments' if DATA.exists() else 'generated'} news comments in-process")
    figures: dict[str, object] = {"scorers": measure_scorers(news_comments(1000))}
    settings = WrkSettings(threads=1, connections=args.connections, duration_s=args.duration)
    services = Services()
    posting: dict[str, float] = {}
    try:
        for scoring in (False, True):
            peer = CommentdeskPeer(
                executable=args.commentdesk,
                work_dir=args.work_dir / ("on" if scoring else "off"),
                port=free_port(),
                scoring=scoring,
            )
            step(f"Posting with the assistant {'on' if scoring else 'off'}")
            posting["on" if scoring else "off"] = posts_per_second(
                peer, services, settings, args.work_dir
            )
            services.stop_all()
    except BenchError as error:
        step(f"FAILED: {error}")
        return 1
    finally:
        services.stop_all()
    figures["posting"] = {
        "accepted_posts_per_s_without_scoring": round(posting["off"], 1),
        "accepted_posts_per_s_with_scoring": round(posting["on"], 1),
        "posting_ratio_with_over_without": round(posting["on"] / posting["off"], 2),
    }
    figures["targets"] = TARGETS
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
