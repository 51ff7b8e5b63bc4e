"""The write queue: batched units of work, each failure isolated, results after commit."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from commentdesk.db.writer import WriteQueue, _Job
from commentdesk.errors import InvalidInput
from commentdesk.sites import service as sites
from commentdesk.sites.models import Site

T = TypeVar("T")


def make_site(number: int) -> object:
    def work(session: Session) -> int:
        if number == 3:
            raise InvalidInput("three is refused")
        site, _ = sites.create_site(
            session,
            name=f"Site {number}",
            origins=[f"https://s{number}.example"],
            now=datetime.now(UTC),
        )
        return site.id

    return work


def in_own_thread(function: Callable[[], T]) -> T:
    """Run `function` on a fresh thread: its event loop must not meet one already running here
    (Playwright's, when the browser tests ran first)."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(function).result(timeout=60)


def site_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Site)) or 0


@pytest.mark.parametrize("failing_position", [0, 2, 5])
def test_one_failing_unit_does_not_sink_its_batch(
    session_factory: sessionmaker[Session], db: Session, failing_position: int
) -> None:
    numbers = [1, 2, 4, 5, 6]
    numbers.insert(failing_position, 3)
    queue = WriteQueue(session_factory)

    def run_batch() -> list[object]:
        loop = asyncio.new_event_loop()
        try:
            futures = [loop.create_future() for _ in numbers]
            jobs = [
                _Job(make_site(n), future, loop) for n, future in zip(numbers, futures, strict=True)
            ]
            queue._commit_batch(jobs)  # one batch, as the writer thread would take it
            return loop.run_until_complete(asyncio.gather(*futures, return_exceptions=True))
        finally:
            loop.close()

    results = in_own_thread(run_batch)
    errors = [result for result in results if isinstance(result, BaseException)]
    assert len(errors) == 1 and isinstance(errors[0], InvalidInput)
    assert isinstance(results[failing_position], InvalidInput)
    assert site_count(db) == 5


def test_concurrent_writes_all_commit_and_return_their_values(
    session_factory: sessionmaker[Session], db: Session
) -> None:
    queue = WriteQueue(session_factory)

    async def main() -> list[object]:
        return await asyncio.gather(
            *(queue.run(make_site(n)) for n in range(10, 40)), return_exceptions=True
        )

    try:
        results = in_own_thread(lambda: asyncio.run(main()))
    finally:
        queue.stop()
    assert all(isinstance(result, int) for result in results)
    assert len(set(results)) == 30
    assert site_count(db) == 30


def test_a_failure_alone_is_reported_to_its_caller(
    session_factory: sessionmaker[Session], db: Session
) -> None:
    queue = WriteQueue(session_factory)
    try:
        with pytest.raises(InvalidInput):
            in_own_thread(lambda: asyncio.run(queue.run(make_site(3))))
    finally:
        queue.stop()
    assert site_count(db) == 0
