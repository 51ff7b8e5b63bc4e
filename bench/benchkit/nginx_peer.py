"""The nginx ceiling: Commentdesk's own thread pages, saved byte for byte, served as static files
by nginx with its own config, pid and temp dirs under the work dir."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from string import Template

from benchkit.procs import BenchError, Service, Services
from benchkit.wrk import WrkRequest

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "nginx.conf"


class NginxPeer:
    """nginx on 127.0.0.1:port serving page-N.json files from work_dir/root."""

    name = "nginx"

    def __init__(self, *, work_dir: Path, port: int, workers: int) -> None:
        self.work_dir, self.port, self.workers = work_dir, port, workers
        self.root = work_dir / "root"
        self.page_paths: list[str] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def probe_url(self) -> str:
        return f"{self.base_url}{self.page_paths[0]}"

    @property
    def served_by(self) -> str:
        return f"nginx, {self.workers} worker processes, static files, access_log off"

    def write_pages(self, pages: list[bytes]) -> None:
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)
        self.page_paths = []
        for number, page in enumerate(pages, start=1):
            name = f"page-{number}.json"
            (self.root / name).write_bytes(page)
            self.page_paths.append(f"/{name}")
        # When run as root, nginx workers drop to an unprivileged user that must read the files.
        for path in [self.root, *self.root.iterdir()]:
            path.chmod(0o755 if path.is_dir() else 0o644)

    def write_config(self) -> Path:
        for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.work_dir / "tmp" / temp).mkdir(parents=True, exist_ok=True)
        config = self.work_dir / "nginx.conf"
        config.write_text(
            Template(TEMPLATE.read_text()).substitute(
                workers=self.workers, work_dir=self.work_dir, port=self.port, root=self.root
            )
        )
        return config

    def start(self, services: Services) -> Service:
        if not self.page_paths:
            raise BenchError("nginx has no pages to serve; write_pages() first")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        config = self.write_config()
        command = [
            nginx,
            "-c",
            str(config),
            "-p",
            str(self.work_dir),
            "-e",
            str(self.work_dir / "nginx-error.log"),
        ]
        service = services.start(
            Service("nginx", command, self.work_dir / "nginx.log", env=dict(os.environ))
        )
        service.wait_for_http(f"{self.base_url}{self.page_paths[0]}", timeout=20)
        return service

    def thread_requests(self) -> list[WrkRequest]:
        return [WrkRequest("GET", path) for path in self.page_paths]
