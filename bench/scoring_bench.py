"""Scoring benchmark: the moderation assistant's speed, memory and cost to posting.

Measures, on this machine, for each kind of embedding (`static`, the default, and
`transformer`; see the model card), each in a process of its own:
- all the built-in scorers together (toxicity, spam, relevance, constructiveness, through the
  runner as the app uses them): median and 95th-percentile time per comment scored one at a
  time, and comments per second in batches of 64, on real news comments (Civil Comments sample
  from ../shared/data when present, else generated text), each text seen once (the embedder
  keeps recent texts, so a repeated text would cost nothing);
- resident memory before and after the models load: the measuring process's, with its scoring
  process's (the server's default, COMMENTDESK_SCORING_PROCESSES=1) added;
- sustained accepted posts per second of `commentdesk serve` with the assistant off, on with
  posting waiting for it (inline, 0.5 s budget) with either embedding, and on with scoring
  after the write (budget 0) with either, in the same run, with the same wrk workload as
  `make bench`, the static kind also with its scorers in the server's own threads (no scoring
  process), for comparison; their ratios; and, after the write, how long the server takes to
  score the backlog the posts left.
Run `.venv/bin/python bench/scoring_bench.py` (or `make bench-scoring`).
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import multiprocessing.queues
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

from benchkit import workload
from benchkit.commentdesk_peer import CommentdeskPeer
from benchkit.procs import BenchError, Services, free_port, settle
from benchkit.wrk import WrkSettings, run_wrk, write_spec

from commentdesk.plugins import manager
from commentdesk.scoring.builtin.plugin import BuiltinScorers
from commentdesk.scoring.embedding import EmbeddingKind
from commentdesk.scoring.protocol import ScoringContext
from commentdesk.scoring.runner import Runner
from commentdesk.settings import Settings

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
DATA = REPO_DIR.parent / "shared" / "data" / "civil_comments_sample1k" / "comments.csv"
TARGETS = {
    "median_ms_one_at_a_time": "<= 15",
    "batch_comments_per_s": ">= 150",
    "resident_mb_with_models": "<= 600",
    "posting_ratio_inline_over_off": ">= 0.5",
    "posting_ratio_inline_static_over_off": ">= 0.5",
}
STORIES = (
    ("Council agrees budget", "The council's budget keeps the libraries open and raises fares."),
    ("River floods the old town", "Shops on the quay were flooded after two days of rain."),
    ("United sign a new striker", "The club paid a record fee for the forward from Porto."),
    ("Hospital waiting lists grow", "Patients wait eleven weeks for a first appointment."),
)
# Seconds to wait for a backlog scored after the write to drain, at most.
DRAIN_LIMIT = 600
_started = time.monotonic()


def step(message: str) -> None:
    sys.stdout.write(f"[{time.monotonic() - _started:6.1f}s] {message}\n")
    sys.stdout.flush()


def resident_mb(runner: Runner | None = None) -> float:
    """This process's resident memory, with its scoring processes' when it has them."""
    pids: list[int | str] = ["self"]
    if runner is not None:
        pids.extend(process.pid for process in runner.processes if process.pid is not None)
    total = 0.0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return total


def news_comments(count: int) -> list[str]:
    if DATA.exists():
        with DATA.open(newline="", encoding="utf-8") as handle:
            texts = [row["text"] for row in csv.DictReader(handle)]
        return (texts * (count // len(texts) + 1))[:count]
    generator = random.Random(7)
    return [workload.comment_body(generator, index) for index in range(count)]


def contexts(count: int) -> list[ScoringContext]:
    """Comments spread over the stories, each story with the others as the live ones."""
    chosen = []
    for index in range(count):
        title, text = STORIES[index % len(STORIES)]
        others = tuple(story for story in STORIES if story[0] != title)
        chosen.append(ScoringContext(1, title, text, story_id=index % 4, other_stories=others))
    return chosen


def measure_scorers(texts: list[str], kind: EmbeddingKind, processes: int) -> dict[str, object]:
    before = resident_mb()
    started = time.perf_counter()
    scorers = manager.scorers(manager.build([BuiltinScorers(kind)], load_entry_points=False))
    runner = Runner(scorers, budget_seconds=30.0, max_batch=64, processes=processes)
    warm = contexts(len(STORIES))
    runner.score_many([f"warm up {index}" for index in range(len(warm))], warm)
    loaded_s = time.perf_counter() - started
    step(
        f"  {kind}, {processes} scoring process(es): {', '.join(runner.names)} loaded in "
        f"{loaded_s:.1f} s; resident {before:.0f} -> {resident_mb(runner):.0f} MB"
    )
    single, batched = texts[:300], texts[300:]
    one: list[float] = []
    for number, (text, context) in enumerate(zip(single, contexts(len(single)), strict=True)):
        started = time.perf_counter()
        outcome = runner.score(text, context)
        one.append((time.perf_counter() - started) * 1000)
        if not outcome.is_complete:
            raise BenchError(f"scorers failed or ran late: {outcome}")
        if number % 100 == 99:
            step(f"  one at a time: {number + 1} of {len(single)}")
    started = time.perf_counter()
    batch_contexts = contexts(len(batched))
    for start in range(0, len(batched), 64):
        runner.score_many(batched[start : start + 64], batch_contexts[start : start + 64])
    batch_per_s = len(batched) / (time.perf_counter() - started)
    step(f"  in batches of 64: {batch_per_s:.1f} comments/s")
    resident = resident_mb(runner)
    runner.close()
    return {
        "embedding": str(kind),
        "scoring_processes": processes,
        "scorers": runner.names,
        "comments_one_at_a_time": len(single),
        "comments_in_batches": len(batched),
        "mean_chars": round(statistics.mean(len(text) for text in texts)),
        "load_seconds": round(loaded_s, 2),
        "median_ms_one_at_a_time": round(statistics.median(one), 2),
        "p95_ms_one_at_a_time": round(sorted(one)[int(len(one) * 0.95)], 2),
        "batch_comments_per_s": round(batch_per_s, 1),
        "resident_mb_before_models": round(before),
        "resident_mb_with_models": round(resident),
    }


def waiting(peer: CommentdeskPeer) -> int:
    """Comments the server has stored and not yet scored (open `awaiting_scores` flags)."""
    with sqlite3.connect(f"file:{peer.data_dir / 'commentdesk.db'}?mode=ro", uri=True) as db:
        row = db.execute(
            "SELECT count(*) FROM flags WHERE reason = 'awaiting_scores' AND status = 'open'"
        ).fetchone()
    return int(row[0])


def drain_seconds(peer: CommentdeskPeer) -> tuple[float, int]:
    """How long the server takes to score what is still waiting once posting stops."""
    started = time.monotonic()
    left = waiting(peer)
    first = left
    while left and time.monotonic() - started < DRAIN_LIMIT:
        time.sleep(0.5)
        left = waiting(peer)
    step(f"  backlog of {first} comments scored in {time.monotonic() - started:.1f} s")
    return time.monotonic() - started, first


def posts_per_second(
    peer: CommentdeskPeer, services: Services, settings: WrkSettings, work_dir: Path, mode: str
) -> dict[str, float]:
    peer.prepare()
    peer.start(services)
    peer.seed(workload.build_comments()[:50])
    spec = write_spec(
        work_dir / f"post-{mode}.spec", peer.post_requests(), common_headers={}, count_statuses=True
    )
    result = run_wrk(settings, peer.base_url, spec, log_path=work_dir / f"post-{mode}.log")
    step(
        f"  {mode}: {result.ok_per_s:,.1f} accepted posts/s "
        f"(p50 {result.latency_ms['p50']:.0f} ms), {result.requests - result.ok_requests} refused"
    )
    figures = {"accepted_posts_per_s": round(result.ok_per_s, 1)}
    if mode == "after_write":
        seconds, backlog = drain_seconds(peer)
        figures["backlog_at_end"] = backlog
        figures["backlog_drain_seconds"] = round(seconds, 1)
        # Posts accepted and fully scored, per second of the whole run (posting plus draining).
        figures["scored_posts_per_s"] = round(
            result.ok_requests / (settings.duration_s + seconds), 1
        )
    settle(peer.probe_url)
    return figures


def measured_apart(kind: EmbeddingKind, processes: int) -> dict[str, object]:
    """`measure_scorers` in a fresh process, so each kind's resident memory is its own."""
    context = multiprocessing.get_context("spawn")
    answer: multiprocessing.queues.Queue[dict[str, object]] = context.Queue()
    # Not a pool's daemon: the runner in it starts a scoring process of its own.
    process = context.Process(target=_measure_in_child, args=(str(kind), processes, answer))
    process.start()
    figures = answer.get(timeout=1800)
    process.join()
    if "error" in figures:
        raise BenchError(str(figures["error"]))
    return figures


def _measure_in_child(
    kind: str, processes: int, answer: multiprocessing.queues.Queue[dict[str, object]]
) -> None:
    try:
        answer.put(measure_scorers(news_comments(1000), EmbeddingKind(kind), processes))
    except BenchError as error:
        answer.put({"error": str(error)})


# mode: (scoring on, budget, embedding, scoring processes: None for the server's default)
MODES: dict[str, tuple[bool, float | None, str | None, int | None]] = {
    "off": (False, None, None, None),
    "inline": (True, 0.5, "transformer", None),
    "after_write": (True, 0.0, "transformer", None),
    "inline_static": (True, 0.5, "static", None),
    "after_write_static": (True, 0.0, "static", None),
    "inline_static_in_threads": (True, 0.5, "static", 0),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--commentdesk", type=Path, default=REPO_DIR / ".venv/bin/commentdesk")
    parser.add_argument("--work-dir", type=Path, default=BENCH_DIR / ".work" / "scoring")
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "results" / "scoring.json")
    args = parser.parse_args(argv)
    step(f"Scoring {'Civil Comments' if DATA.exists() else 'generated'} news comments in-process")
    try:
        default = Settings().scoring_processes
        figures: dict[str, object] = {
            "scorers": {str(kind): measured_apart(kind, default) for kind in EmbeddingKind}
        }
    except BenchError as error:
        step(f"FAILED: {error}")
        return 1
    settings = WrkSettings(threads=1, connections=args.connections, duration_s=args.duration)
    services = Services()
    posting: dict[str, dict[str, float]] = {}
    try:
        for mode, (scoring, budget, kind, processes) in MODES.items():
            peer = CommentdeskPeer(
                executable=args.commentdesk,
                work_dir=args.work_dir / mode,
                port=free_port(),
                scoring=scoring,
                scoring_budget=budget,
                embedding=kind,
                scoring_processes=processes,
            )
            step(f"Posting, assistant {mode.replace('_', ' ')}")
            posting[mode] = posts_per_second(peer, services, settings, args.work_dir, mode)
            services.stop_all()
    except BenchError as error:
        step(f"FAILED: {error}")
        return 1
    finally:
        services.stop_all()
    off = posting["off"]["accepted_posts_per_s"]
    figures["posting"] = {
        **posting,
        **{
            f"posting_ratio_{mode}_over_off": round(posting[mode]["accepted_posts_per_s"] / off, 2)
            for mode in MODES
            if mode != "off"
        },
    }
    figures["targets"] = TARGETS
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
