"""The shared embedder: one embedding per text however many scorers ask at once, a bounded
cache of recent texts, and a failure passed to every caller that waited for it."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import pytest
from numpy.typing import NDArray

from commentdesk.scoring import embedding


class CountingEmbedder(embedding.Embedder):
    """The real embedder, counting the texts it runs the model on; `gate` can hold a run."""

    def __init__(self, **options: int) -> None:
        super().__init__(**options)
        self.computed: list[str] = []
        self.started = threading.Event()
        self.gate = threading.Event()
        self.gate.set()
        self.fail = False

    def _compute(self, texts: Sequence[str]) -> NDArray[np.float32]:
        self.computed.extend(texts)
        self.started.set()
        assert self.gate.wait(timeout=30)
        if self.fail:
            raise RuntimeError("model broke")
        return super()._compute(texts)


@pytest.fixture(scope="module")
def embedder() -> CountingEmbedder:
    return CountingEmbedder()


def test_scorers_asking_for_one_text_at_once_share_one_embedding(
    embedder: CountingEmbedder,
) -> None:
    embedder.computed.clear()
    embedder.gate.clear()
    text = "The council voted to keep the library open on Sundays."
    results: list[NDArray[np.float32]] = []
    first = threading.Thread(target=lambda: results.append(embedder.embed([text])))
    first.start()
    assert embedder.started.wait(timeout=30)
    second = threading.Thread(target=lambda: results.append(embedder.embed([text, text])))
    second.start()
    embedder.gate.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert embedder.computed == [text]
    assert len(results) == 2
    assert all(np.allclose(rows[0], results[0][0]) for rows in results)
    assert np.isclose(np.linalg.norm(results[0][0]), 1.0, atol=1e-4)


def test_the_cache_keeps_only_the_most_recent_texts() -> None:
    small = CountingEmbedder(cache_size=2)
    small.embed(["one", "two"])
    small.embed(["one"])  # "one" is now the most recent
    small.embed(["three"])  # "two" goes
    small.computed.clear()
    small.embed(["one", "two", "three"])
    assert small.computed == ["two"]


def test_a_failing_model_fails_every_caller_and_caches_nothing() -> None:
    broken = CountingEmbedder()
    broken.fail = True
    with pytest.raises(RuntimeError, match="model broke"):
        broken.embed(["a text that breaks the model"])
    broken.fail = False
    broken.computed.clear()
    assert broken.embed(["a text that breaks the model"]).shape == (1, embedding.DIMENSIONS)
    assert broken.computed == ["a text that breaks the model"]
