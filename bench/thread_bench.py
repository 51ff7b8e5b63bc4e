"""Thread benchmark: Commentdesk against Isso 0.14 and against nginx serving Commentdesk's own
thread pages as static files. Run `.venv/bin/python bench/thread_bench.py` (or `make bench`);
see bench/README.md. Starts and stops every server itself; touches nothing outside bench/."""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import os
import platform
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from benchkit import report, workload
from benchkit.commentdesk_peer import CommentdeskPeer
from benchkit.isso_peer import IssoPeer, ensure_venv
from benchkit.nginx_peer import NginxPeer
from benchkit.procs import BenchError, Services, free_port, settle
from benchkit.wrk import WrkRequest, WrkResult, WrkSettings, run_wrk, write_spec

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
ALL_PEERS = ("commentdesk", "isso", "nginx")
_started = time.monotonic()
_problems: list[str] = []
Peer = CommentdeskPeer | IssoPeer | NginxPeer


def step(message: str) -> None:
    sys.stdout.write(f"[{time.monotonic() - _started:6.1f}s] {message}\n")
    sys.stdout.flush()


def problem(message: str) -> None:
    """Something odd that does not stop the bench; printed now and kept in the results."""
    _problems.append(message)
    step(f"PROBLEM: {message}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--warmup", type=int, default=2, help="untimed wrk seconds before reads")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--isso-workers", type=int, default=1, help="gunicorn workers for Isso")
    parser.add_argument("--nginx-workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--peers",
        default=",".join(ALL_PEERS),
        help="comma-separated subset of commentdesk,isso,nginx (for development;"
        " without commentdesk, nginx serves Isso's thread JSON instead)",
    )
    parser.add_argument(
        "--commentdesk", type=Path, default=REPO_DIR / ".venv" / "bin" / "commentdesk"
    )
    parser.add_argument("--work-dir", type=Path, default=BENCH_DIR / ".work")
    parser.add_argument(
        "--results",
        type=Path,
        default=None,
        help="JSON output (default bench/results/latest.json on a full run)",
    )
    args = parser.parse_args(argv)
    args.peers = [name.strip() for name in args.peers.split(",") if name.strip()]
    unknown = set(args.peers) - set(ALL_PEERS)
    if unknown:
        parser.error(f"unknown peers: {', '.join(sorted(unknown))}")
    if args.results is None and sorted(args.peers) == sorted(ALL_PEERS):
        args.results = BENCH_DIR / "results" / "latest.json"
    return args


def _raise_on_signal(signal_number: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signal_number)


def tool_versions(isso_versions: tuple[str, str] | None) -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name, command in (("wrk", ["wrk", "-v"]), ("nginx", ["nginx", "-v"])):
        try:
            output = subprocess.run(
                command, capture_output=True, text=True, timeout=10, check=False
            )
        except OSError:
            continue
        text = (output.stdout + output.stderr).strip().splitlines()
        versions[name] = text[0] if text else "?"
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        versions["commentdesk"] = importlib.metadata.version("commentdesk")
    if isso_versions is not None:
        versions["isso"], versions["gunicorn (isso venv)"] = isso_versions
    return versions


def measure(
    peer: Peer,
    kind: str,
    requests: list[WrkRequest],
    *,
    settings: WrkSettings,
    work_dir: Path,
    count_statuses: bool = False,
    warm_up: bool = True,
) -> WrkResult:
    """Warm up (optionally), then one timed wrk run; waits for the server's backlog after each."""
    label = f"{peer.name}-{kind}"
    spec = write_spec(
        work_dir / "wrk" / f"{label}.spec",
        requests,
        common_headers={},
        count_statuses=count_statuses,
    )
    if warm_up and settings.warmup_s > 0:
        run_wrk(settings, peer.base_url, spec, duration_s=settings.warmup_s)
        settle(peer.probe_url)
    step(
        f"  wrk {label}: -t{settings.threads} -c{settings.connections} "
        f"-d{settings.duration_s}s over {len(requests)} request(s)"
    )
    result = run_wrk(settings, peer.base_url, spec, log_path=work_dir / "wrk" / f"{label}.log")
    backlog = settle(peer.probe_url)
    if backlog > 1:
        step(f"    ({peer.name} needed {backlog:.1f}s to work off requests queued during the run)")
    if result.requests == 0:
        problem(
            f"{label}: not one response in {result.duration_s:.0f}s "
            f"({settings.connections} connections); the server took {backlog:.1f}s to answer "
            f"a fresh request afterwards"
        )
    elif result.ok_requests < result.requests or result.failed:
        first = ""
        if result.first_bad_status:
            first = f", first {result.first_bad_status}: {result.first_bad_body[:160]!r}"
        problem(
            f"{label}: {result.requests - result.ok_requests} of {result.requests} responses "
            f"not accepted{first}; socket errors {result.errors}"
        )
    step(
        f"    {result.ok_per_s:,.1f} good requests/s, p50 {result.latency_ms['p50']:.1f} ms, "
        f"p99 {result.latency_ms['p99']:.1f} ms"
    )
    return result


def measure_all(
    *,
    commentdesk: CommentdeskPeer | None,
    isso: IssoPeer | None,
    nginx: NginxPeer | None,
    figures: dict[str, report.PeerFigures],
    settings: WrkSettings,
    work_dir: Path,
) -> None:
    """Reads for every peer, then count calls, then posts (posts last: they add comments)."""
    step("Measuring full thread reads")
    for peer in (commentdesk, isso, nginx):
        if peer is None:
            continue
        requests = peer.thread_requests()
        result = measure(peer, "thread", requests, settings=settings, work_dir=work_dir)
        figures[peer.name].record("thread_page_requests_per_s", result)
        figures[peer.name].record("thread_reads_per_s", result, requests_per_unit=len(requests))

    step("Measuring the count call")
    for peer in (commentdesk, isso):
        if peer is None:
            continue
        result = measure(peer, "count", peer.count_requests(), settings=settings, work_dir=work_dir)
        figures[peer.name].record("counts_per_s", result)

    step("Measuring sustained accepted posts (only 2xx count)")
    for peer in (commentdesk, isso):
        if peer is None:
            continue
        result = measure(
            peer,
            "post",
            peer.post_requests(),
            settings=settings,
            work_dir=work_dir,
            count_statuses=True,
            warm_up=False,
        )
        figures[peer.name].record("posts_accepted_per_s", result)


def run_bench(args: argparse.Namespace, services: Services) -> dict[str, object]:
    settings = WrkSettings(
        threads=args.threads,
        connections=args.connections,
        duration_s=args.duration,
        warmup_s=args.warmup,
    )
    work_dir: Path = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    comments = workload.build_comments()
    figures: dict[str, report.PeerFigures] = {}
    started_at = datetime.now(UTC)
    isso_versions = None
    isso = commentdesk = None
    nginx_pages: list[bytes] = []

    if "isso" in args.peers:
        step("Preparing the Isso 0.14.x virtualenv (bench/.work/isso-venv)")
        isso_versions = ensure_venv(work_dir / "isso-venv")
        step(f"  isso {isso_versions[0]}, gunicorn {isso_versions[1]}")
        isso = IssoPeer(
            venv=work_dir / "isso-venv",
            work_dir=work_dir / "isso",
            port=free_port(),
            workers=args.isso_workers,
            gunicorn_version=isso_versions[1],
        )
        step(f"Starting Isso: {isso.served_by}")
        isso.start(services)
        step(f"Seeding Isso with {len(comments)} comments through POST /new")
        isso.seed(comments)
        isso.check_thread(len(comments))
        figures["isso"] = report.PeerFigures(isso.served_by)

    if "commentdesk" in args.peers:
        if not args.commentdesk.exists():
            raise BenchError(f"{args.commentdesk} does not exist; run `make install` first")
        commentdesk = CommentdeskPeer(
            executable=args.commentdesk, work_dir=work_dir / "commentdesk", port=free_port()
        )
        step("Preparing Commentdesk: fresh data dir, db upgrade, create-site")
        commentdesk.prepare()
        step(f"Starting Commentdesk: {commentdesk.served_by}")
        commentdesk.start(services)
        step(
            f"Seeding Commentdesk with {len(workload.ACCOUNT_NAMES)} accounts, 2 stories and "
            f"{len(comments)} comments through the HTTP API"
        )
        commentdesk.seed(comments)
        step("Fetching Commentdesk's full thread (limit=100, following next_cursor)")
        nginx_pages = commentdesk.fetch_pages(len(comments))
        count_problem = commentdesk.check_count(len(comments))
        if count_problem:
            problem(f"commentdesk count call: {count_problem}")
        step(f"  {len(nginx_pages)} page(s), {sum(map(len, nginx_pages)):,} bytes")
        figures["commentdesk"] = report.PeerFigures(commentdesk.served_by)
    elif isso is not None:
        reply = isso.client.expect("GET", isso.thread_requests()[0].path, (200,))
        nginx_pages = [reply.body]

    nginx = None
    if "nginx" in args.peers:
        if not nginx_pages:
            raise BenchError("nginx needs pages from commentdesk (or isso) to serve")
        nginx = NginxPeer(work_dir=work_dir / "nginx", port=free_port(), workers=args.nginx_workers)
        nginx.write_pages(nginx_pages)
        step(f"Starting nginx: {nginx.served_by}")
        nginx.start(services)
        figures["nginx"] = report.PeerFigures(nginx.served_by)

    measure_all(
        commentdesk=commentdesk,
        isso=isso,
        nginx=nginx,
        figures=figures,
        settings=settings,
        work_dir=work_dir,
    )

    finished_at = datetime.now(UTC)
    context: dict[str, object] = {
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": finished_at.isoformat(timespec="seconds"),
        "wrk": {
            **settings.as_dict(),
            "warmup_applies_to": "thread reads and count calls",
            "counting": "reads and counts: responses below 400; posts: 2xx only",
        },
        "machine": {
            "nproc": os.cpu_count(),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpu": _cpu_model(),
        },
        "versions": tool_versions(isso_versions),
        "problems": list(_problems),
        "workload": {
            "comments": len(comments),
            "top_level": sum(c.parent_index is None for c in comments),
            "replies": sum(c.parent_index is not None for c in comments),
            "mean_body_chars": round(sum(len(c.body) for c in comments) / len(comments)),
            "commentdesk_pages_per_full_read": len(nginx_pages),
            "commentdesk_full_thread_bytes": sum(map(len, nginx_pages)),
            "isso_full_thread_bytes": isso.thread_response_bytes if isso else None,
            "nginx_serves": "commentdesk pages" if commentdesk else "isso thread JSON",
        },
    }
    return report.build(peers=figures, context=context)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for signal_number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signal_number, _raise_on_signal)
    services = Services()
    try:
        document = run_bench(args, services)
    except BenchError as error:
        step(f"FAILED: {error}")
        return 1
    finally:
        step("Stopping all servers")
        services.stop_all()
    report.print_tables(document)
    for message in _problems:
        step(f"PROBLEM: {message}")
    if args.results is not None:
        report.write(document, args.results)
        step(f"Wrote {args.results}")
    else:
        step("Partial run: no results file written (pass --results PATH to keep one)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
