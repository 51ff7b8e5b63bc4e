"""Child processes for the bench: start servers in their own process groups, wait for their
ports with a deadline, and stop every one of them. Knows nothing about what the servers are."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

STOP_GRACE_SECONDS = 5.0


class BenchError(RuntimeError):
    """A step of the bench failed; the message says which and why."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def log_tail(path: Path, lines: int = 25) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def run(
    command: list[str],
    *,
    timeout: float,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> str:
    """Run a short command to completion and return its stdout; raise BenchError on failure."""
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=cwd,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"{command[0]} took longer than {timeout:.0f}s: {command}") from error
    if result.returncode != 0:
        raise BenchError(
            f"{' '.join(command)} exited {result.returncode}:\n"
            f"{result.stderr.strip() or result.stdout.strip()}"
        )
    return result.stdout


def settle(url: str, *, timeout: float = 90.0) -> float:
    """Wait for one fresh request to url to be answered and return how long that took.

    A single-worker server keeps handling the connections wrk left queued after it stopped;
    a new connection joins the back of that queue, so its answer means the backlog is gone and
    the next measurement gets the machine to itself."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError:
        pass
    except (urllib.error.URLError, OSError) as error:
        raise BenchError(
            f"{url} did not answer within {timeout:.0f}s after a run: {error}"
        ) from error
    return time.monotonic() - started


@dataclass
class Service:
    """One long-running server started in its own session so its whole tree can be signalled."""

    name: str
    command: list[str]
    log_path: Path
    env: dict[str, str] | None = None
    cwd: Path | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self.env,
                cwd=self.cwd,
                start_new_session=True,
            )

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_for_http(self, url: str, *, timeout: float) -> None:
        """Poll url until the server answers with any HTTP status, dies, or the deadline passes."""
        deadline = time.monotonic() + timeout
        last_error = "no attempt"
        while time.monotonic() < deadline:
            if not self.is_running():
                raise BenchError(
                    f"{self.name} exited before serving; log {self.log_path}:\n"
                    f"{log_tail(self.log_path)}"
                )
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # any HTTP answer means it is serving
            except (urllib.error.URLError, OSError) as error:
                last_error = str(error)
            time.sleep(0.2)
        raise BenchError(
            f"{self.name} did not answer {url} within {timeout:.0f}s ({last_error}); "
            f"log {self.log_path}:\n{log_tail(self.log_path)}"
        )

    def stop(self) -> None:
        """SIGTERM the process group, SIGKILL it after a grace period. Safe to call twice."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.process.wait(timeout=STOP_GRACE_SECONDS)
        # Workers forked by the server stay in its group; make sure none outlive it.
        self._signal_group(signal.SIGKILL)

    def _signal_group(self, signal_number: int) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal_number)


class Services:
    """Every server the bench started, stopped in reverse order by stop_all()."""

    def __init__(self) -> None:
        self._services: list[Service] = []

    def start(self, service: Service) -> Service:
        self._services.append(service)
        service.start()
        return service

    def stop(self, service: Service) -> None:
        service.stop()
        if service in self._services:
            self._services.remove(service)

    def stop_all(self) -> None:
        for service in reversed(self._services):
            service.stop()
        self._services.clear()
