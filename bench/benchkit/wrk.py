"""Runs wrk with lua/driver.lua against one base URL and parses the driver's JSON summary.
The same WrkSettings are used for every peer so their rates compare."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from benchkit.procs import BenchError

DRIVER = Path(__file__).resolve().parent.parent / "lua" / "driver.lua"


@dataclass(frozen=True)
class WrkSettings:
    threads: int = 1
    connections: int = 32
    duration_s: int = 10
    warmup_s: int = 2
    timeout_s: int = 10

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class WrkRequest:
    method: str
    path: str
    body: str = ""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class WrkResult:
    requests: int
    duration_s: float
    statuses: dict[str, int]
    errors: dict[str, int]
    latency_ms: dict[str, float]
    first_bad_status: int
    first_bad_body: str

    @property
    def requests_per_s(self) -> float:
        return self.requests / self.duration_s

    @property
    def ok_requests(self) -> int:
        """2xx responses when the driver counted statuses, else responses below 400."""
        if sum(self.statuses.values()):
            return self.statuses["2xx"]
        return self.requests - self.errors["status"]

    @property
    def ok_per_s(self) -> float:
        return self.ok_requests / self.duration_s

    @property
    def failed(self) -> int:
        return sum(self.errors.values())


def write_spec(
    path: Path, requests: list[WrkRequest], *, common_headers: dict[str, str], count_statuses: bool
) -> Path:
    lines = [f"header\t{name}\t{value}" for name, value in common_headers.items()]
    for request in requests:
        extra = "|".join(f"{name}: {value}" for name, value in request.headers)
        for text in (request.path, request.body, extra):
            if "\t" in text or "\n" in text:
                raise BenchError(f"wrk spec fields may not contain tabs or newlines: {text!r}")
        lines.append(f"request\t{request.method}\t{request.path}\t{request.body}\t{extra}")
    if count_statuses:
        lines.append("count_statuses")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def run_wrk(
    settings: WrkSettings,
    base_url: str,
    spec: Path,
    *,
    duration_s: int | None = None,
    log_path: Path | None = None,
) -> WrkResult:
    """One wrk run; raises BenchError if wrk fails or prints no summary."""
    wrk = shutil.which("wrk") or "/usr/bin/wrk"
    duration = settings.duration_s if duration_s is None else duration_s
    command = [
        wrk,
        f"-t{settings.threads}",
        f"-c{settings.connections}",
        f"-d{duration}s",
        f"--timeout={settings.timeout_s}s",
        "-s",
        str(DRIVER),
        base_url,
        "--",
        str(spec),
    ]
    try:
        completed = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=False,
            timeout=duration + 30,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"wrk did not finish within {duration + 30}s") from error
    if log_path is not None:
        log_path.write_text(f"$ {' '.join(command)}\n{completed.stdout}\n{completed.stderr}")
    summary_line = next(
        (line for line in completed.stdout.splitlines() if line.startswith("BENCH_JSON ")), None
    )
    if completed.returncode != 0 or summary_line is None:
        raise BenchError(
            f"wrk failed ({completed.returncode}): {completed.stderr.strip()}\n"
            f"{completed.stdout[-2000:]}"
        )
    data = json.loads(summary_line.removeprefix("BENCH_JSON "))
    return WrkResult(
        requests=data["requests"],
        duration_s=data["duration_us"] / 1e6,
        statuses=data["statuses"],
        errors=data["errors"],
        latency_ms={name: value / 1000 for name, value in data["latency_us"].items()},
        first_bad_status=data["first_bad_status"],
        first_bad_body=data["first_bad_body"],
    )
