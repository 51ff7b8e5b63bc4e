"""Models load once per process, even when the scorers' threads all ask at the same moment."""

from __future__ import annotations

import threading
import time

from commentdesk.scoring.shared import process_wide


def test_threads_asking_at_once_share_one_load() -> None:
    loads: list[str] = []
    start = threading.Barrier(4)

    @process_wide
    def load(path: str) -> object:
        loads.append(path)
        time.sleep(0.05)  # a slow load: the others arrive while it runs
        return object()

    found: list[object] = []

    def ask() -> None:
        start.wait(timeout=10)
        found.append(load("model.npz"))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert loads == ["model.npz"]
    assert len(found) == 4 and all(item is found[0] for item in found)
    assert load("other.npz") is not found[0] and loads == ["model.npz", "other.npz"]
