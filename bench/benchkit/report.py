"""Turns wrk results into rates and ratios, prints them as a table and writes latest.json.
Targets are printed beside the ratios; they do not change the exit status."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchkit.wrk import WrkResult

# ratio key -> (numerator peer, denominator peer, rate key, target, target text)
RATIOS: dict[str, tuple[str, str, str, float, str]] = {
    "thread_read_vs_isso": ("commentdesk", "isso", "thread_reads_per_s", 100.0, ">= 100x"),
    "thread_read_vs_nginx": ("commentdesk", "nginx", "thread_reads_per_s", 1 / 3, ">= 1/3"),
    "post_vs_isso": ("commentdesk", "isso", "posts_accepted_per_s", 3.0, ">= 3x"),
    "count_vs_isso": ("commentdesk", "isso", "counts_per_s", 0.0, "(reported)"),
}
RATE_LABELS = {
    "thread_reads_per_s": "full thread reads/s",
    "thread_page_requests_per_s": "thread page requests/s",
    "counts_per_s": "count calls/s",
    "posts_accepted_per_s": "accepted posts/s (2xx)",
}


@dataclass
class PeerFigures:
    served_by: str
    rates: dict[str, float] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def record(self, rate_key: str, result: WrkResult, *, requests_per_unit: int = 1) -> float:
        rate = result.ok_per_s / requests_per_unit
        self.rates[rate_key] = round(rate, 2)
        self.details[rate_key] = {
            "requests": result.requests,
            "ok_requests": result.ok_requests,
            "duration_s": round(result.duration_s, 3),
            "requests_per_unit": requests_per_unit,
            "statuses": result.statuses,
            "socket_errors": result.errors,
            "latency_ms": {name: round(value, 2) for name, value in result.latency_ms.items()},
        }
        if result.first_bad_status:
            self.details[rate_key]["first_bad_status"] = result.first_bad_status
            self.details[rate_key]["first_bad_body"] = result.first_bad_body
        return rate


def ratios(peers: dict[str, PeerFigures]) -> dict[str, float | None]:
    result: dict[str, float | None] = {}
    for key, (numerator, denominator, rate_key, _, _) in RATIOS.items():
        top = peers.get(numerator, PeerFigures("")).rates.get(rate_key)
        bottom = peers.get(denominator, PeerFigures("")).rates.get(rate_key)
        result[key] = round(top / bottom, 3) if top is not None and bottom else None
    return result


def build(*, peers: dict[str, PeerFigures], context: dict[str, Any]) -> dict[str, Any]:
    computed = ratios(peers)
    document: dict[str, Any] = dict(computed)
    document["targets"] = {key: spec[4] for key, spec in RATIOS.items()}
    document["meets_targets"] = {
        key: (value >= RATIOS[key][3]) if value is not None else None
        for key, value in computed.items()
        if RATIOS[key][3] > 0
    }
    document["peers"] = {
        name: {**figures.rates, "served_by": figures.served_by, "runs": figures.details}
        for name, figures in peers.items()
    }
    document.update(context)
    return document


def write(document: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def print_tables(document: dict[str, Any]) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        _print_plain(document)
        return
    console = Console()
    peer_names = list(document["peers"])
    rates = Table(title="Raw rates (wrk, loopback)")
    rates.add_column("measure")
    for name in peer_names:
        rates.add_column(name, justify="right")
    for rate_key, label in RATE_LABELS.items():
        cells = [_format_rate(document["peers"][name].get(rate_key)) for name in peer_names]
        if any(cell != "-" for cell in cells):
            rates.add_row(label, *cells)
    console.print(rates)
    table = Table(title="Commentdesk vs peers")
    for column in ("ratio", "value", "target", "met"):
        table.add_column(column, justify="right" if column != "ratio" else "left")
    for key, value in _ratio_rows(document):
        table.add_row(*[key, *value])
    console.print(table)


def _ratio_rows(document: dict[str, Any]) -> list[tuple[str, tuple[str, str, str]]]:
    rows = []
    for key in RATIOS:
        value = document.get(key)
        met = document["meets_targets"].get(key)
        rows.append(
            (
                key,
                (
                    "-" if value is None else f"{value:,.3g}x",
                    document["targets"][key],
                    {True: "yes", False: "NO", None: "-"}[met],
                ),
            )
        )
    return rows


def _format_rate(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def _print_plain(document: dict[str, Any]) -> None:
    for name, figures in document["peers"].items():
        for rate_key, label in RATE_LABELS.items():
            if rate_key in figures:
                sys.stdout.write(f"{name:12} {label:28} {_format_rate(figures[rate_key]):>12}\n")
    for key, (value, target, met) in _ratio_rows(document):
        sys.stdout.write(f"{key:22} {value:>10} target {target:8} met {met}\n")
