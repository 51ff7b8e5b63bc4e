"""Fixtures shared by the unit tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from commentdesk.scoring.runner import Runner


@pytest.fixture
def runners() -> Iterator[list[Runner]]:
    """Runners a test starts; each is closed (its threads and processes stopped) after it."""
    made: list[Runner] = []
    yield made
    for runner in made:
        runner.close()
