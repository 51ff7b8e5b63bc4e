"""Widget benchmark: the embed script's gzipped size, and the time from the script arriving to
the first comment painted on the 300-comment story, Commentdesk's widget beside Isso 0.14's in
the same run, in headless Chromium (Debian's, as the browser tests use).

Run `.venv/bin/python bench/widget_bench.py` (or `make bench-widget`); results go to
bench/results/widget.json. Both servers are seeded with the thread bench's workload and serve a
host page on the fake news origin (intercepted by the browser, so no DNS is involved)."""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchkit import workload
from benchkit.commentdesk_peer import CommentdeskPeer
from benchkit.isso_peer import IssoPeer, ensure_venv
from benchkit.procs import Services, free_port
from playwright.sync_api import sync_playwright

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results" / "widget.json"
CHROMIUM = "/usr/bin/chromium"
# The host page sits on a made-up public origin and the servers on loopback; Chromium's
# private-network rules would refuse that pairing, which a real deployment never has.
PRIVATE_NETWORK_OFF = (
    "--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,"
    "LocalNetworkAccessChecks"
)
_started = time.monotonic()

# Records, in every page, the animation frame in which the first comment of either widget
# exists: the frame that paints it.
FIRST_COMMENT_PROBE = """
(() => {
  function look() {
    const host = document.getElementById('commentdesk-thread');
    const ours = host && host.shadowRoot && host.shadowRoot.querySelector('article');
    const theirs = document.querySelector('#isso-thread .isso-comment');
    if (ours || theirs) { window.__firstCommentAt = performance.now(); return; }
    requestAnimationFrame(look);
  }
  requestAnimationFrame(look);
})();
"""

HOST_PAGES = {
    "commentdesk": """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title></head><body><main><h1>{title}</h1>
<div id="commentdesk-thread" data-story-url="{story_url}"></div></main>
<script src="{server}/widget/embed.js" async></script></body></html>""",
    "isso": """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title></head><body><main><h1>{title}</h1>
<section id="isso-thread"></section></main>
<script data-isso="{server}/" src="{server}/js/embed.min.js" async></script></body></html>""",
}
SCRIPTS = {"commentdesk": "/widget/embed.js", "isso": "/js/embed.min.js"}


def step(message: str) -> None:
    sys.stdout.write(f"[{time.monotonic() - _started:6.1f}s] {message}\n")
    sys.stdout.flush()


def gzipped_size(url: str) -> tuple[int, int]:
    with urllib.request.urlopen(url, timeout=30) as response:
        body: bytes = response.read()
    return len(body), len(gzip.compress(body, compresslevel=9))


def first_paint_ms(browser: Any, peer: str, server: str, runs: int) -> list[float]:
    """Milliseconds from the embed script's last byte to the first comment's frame, per load,
    each in a fresh browser context (a first visit: nothing cached)."""
    page_html = HOST_PAGES[peer].format(
        title=workload.STORY_TITLE,
        story_url=workload.ORIGIN + workload.STORY_PATH,
        server=server,
    )
    timings = []
    for _ in range(runs):
        context = browser.new_context()
        context.route(
            f"{workload.ORIGIN}/**",
            lambda route: route.fulfill(status=200, content_type="text/html", body=page_html),
        )
        page = context.new_page()
        page.add_init_script(FIRST_COMMENT_PROBE)
        page.goto(workload.ORIGIN + workload.STORY_PATH)
        page.wait_for_function("() => window.__firstCommentAt !== undefined", timeout=30_000)
        script_end = page.evaluate(
            """name => performance.getEntriesByType('resource')
                .find(entry => entry.name.endsWith(name)).responseEnd""",
            SCRIPTS[peer],
        )
        timings.append(page.evaluate("() => window.__firstCommentAt") - script_end)
        context.close()
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="page loads per widget")
    parser.add_argument("--work-dir", type=Path, default=BENCH_DIR / ".work")
    args = parser.parse_args()
    work_dir: Path = args.work_dir.resolve()
    comments = workload.build_comments()
    services = Services()
    results: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "comments": len(comments),
        "runs": args.runs,
    }
    try:
        step("Preparing Isso 0.14.x (bench/.work/isso-venv)")
        isso_versions = ensure_venv(work_dir / "isso-venv")
        isso = IssoPeer(
            venv=work_dir / "isso-venv",
            work_dir=work_dir / "isso-widget",
            port=free_port(),
            workers=1,
            gunicorn_version=isso_versions[1],
        )
        isso.start(services)
        step(f"Seeding Isso with {len(comments)} comments")
        isso.seed(comments)
        commentdesk = CommentdeskPeer(
            executable=REPO_DIR / ".venv" / "bin" / "commentdesk",
            work_dir=work_dir / "commentdesk-widget",
            port=free_port(),
        )
        commentdesk.prepare()
        commentdesk.start(services)
        step(f"Seeding Commentdesk with {len(comments)} comments")
        commentdesk.seed(comments)
        servers = {"commentdesk": commentdesk.base_url, "isso": isso.base_url}
        for peer, server in servers.items():
            raw, packed = gzipped_size(server + SCRIPTS[peer])
            results[f"{peer}_script_bytes"] = raw
            results[f"{peer}_script_gzip_bytes"] = packed
            step(f"{peer}: {SCRIPTS[peer]} is {raw:,} bytes, {packed:,} gzipped")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", PRIVATE_NETWORK_OFF],
                headless=True,
            )
            for peer, server in servers.items():
                first_paint_ms(browser, peer, server, 2)  # warm the servers' own caches
                timings = first_paint_ms(browser, peer, server, args.runs)
                results[f"{peer}_first_paint_ms_median"] = round(statistics.median(timings), 1)
                results[f"{peer}_first_paint_ms_all"] = [round(value, 1) for value in timings]
                step(
                    f"{peer}: first comment painted {statistics.median(timings):.0f} ms after "
                    "the script arrived (median)"
                )
            browser.close()
    finally:
        services.stop_all()
    results["first_paint_isso_over_commentdesk"] = round(
        results["isso_first_paint_ms_median"] / results["commentdesk_first_paint_ms_median"], 2
    )
    results["script_gzip_isso_over_commentdesk"] = round(
        results["isso_script_gzip_bytes"] / results["commentdesk_script_gzip_bytes"], 2
    )
    results["targets"] = {
        "commentdesk_script_gzip_bytes": "< 30,720",
        "commentdesk_first_paint_ms_median": "< 300",
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    step(f"Wrote {RESULTS}")
    print(json.dumps({key: value for key, value in results.items() if "_all" not in key}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
