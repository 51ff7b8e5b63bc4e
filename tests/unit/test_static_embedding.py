"""The static embedding and its distillation (`static_embedding.py`, `distillation.py`): the
shipped table on literal texts, and the fit on a small problem with a known answer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from commentdesk.scoring import distillation, embedding
from commentdesk.scoring.static_embedding import StaticEmbedder, weighted_pieces


@pytest.fixture(scope="module")
def static() -> StaticEmbedder:
    found = embedding.shared(embedding.EmbeddingKind.STATIC)
    assert isinstance(found, StaticEmbedder)
    return found


def test_rows_are_unit_length_and_an_empty_text_is_zero(static: StaticEmbedder) -> None:
    rows = static.embed(["The council kept the library open.", "", "ok"])
    assert rows.shape == (3, static.dimensions)
    assert np.isclose(np.linalg.norm(rows[0]), 1.0, atol=1e-5)
    assert np.isclose(np.linalg.norm(rows[2]), 1.0, atol=1e-5)
    assert not rows[1].any()


def test_texts_on_one_subject_are_closer_than_texts_on_another(static: StaticEmbedder) -> None:
    budget, libraries, football = static.embed(
        [
            "The council voted to keep every library open on Sundays.",
            "Libraries will stay open at weekends, the councillors decided.",
            "United signed a striker from Porto for a record fee.",
        ]
    )
    assert budget @ libraries > budget @ football + 0.2


def test_the_same_text_gets_the_same_row_alone_or_in_a_batch(static: StaticEmbedder) -> None:
    text = "Flood water reached the shops on the quay."
    alone = static.embed([text])[0]
    batched = static.embed(["Something else entirely.", text])[1]
    np.testing.assert_allclose(alone, batched, atol=1e-6)


def test_the_shipped_table_says_how_it_was_made(static: StaticEmbedder) -> None:
    assert "MiniLM" in static.metadata["teacher"]
    fitted = static.metadata["cosine_to_teacher_on_unseen_texts"]
    # Fitting to the teacher's sentences must have brought the student closer to it.
    assert fitted["fitted"] > fitted["piece_vectors_alone"]


def test_piece_weights_fall_with_frequency() -> None:
    weights = distillation.piece_weights([[1, 1, 1, 2], [1, 3]], size=5)
    assert weights[1] < weights[2] < weights[4]
    assert np.isclose(weights[2], weights[3])


def test_weighted_pieces_sum_to_one_per_text() -> None:
    weights = np.array([1.0, 0.5, 0.25], dtype=np.float32)
    matrix = weighted_pieces([[0, 1, 1], [], [2]], weights)
    np.testing.assert_allclose(np.asarray(matrix.sum(axis=1)).ravel(), [1.0, 0.0, 1.0])
    np.testing.assert_allclose(matrix.toarray()[0], [0.5, 0.5, 0.0])


def test_the_fit_solves_the_ridge_problem() -> None:
    rng = np.random.default_rng(0)
    means = csr_matrix(rng.random((60, 12)) * (rng.random((60, 12)) < 0.3))
    start = rng.normal(size=(12, 4)).astype(np.float32)
    targets = rng.normal(size=(60, 4)).astype(np.float32)
    ridge = 0.5
    got = distillation.fit(means, targets, start, lambda *_: None, ridge=ridge, iterations=200)
    dense = means.toarray()
    guess = dense @ start
    scale = float((guess * targets).sum() / (guess * guess).sum())
    expected = np.linalg.solve(
        dense.T @ dense + ridge * np.eye(12), dense.T @ targets + ridge * scale * start
    )
    np.testing.assert_allclose(got, expected, atol=1e-4)


def test_a_saved_table_loads_back_within_its_rounding(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(30522, 8)).astype(np.float32)
    weights = rng.random(30522).astype(np.float32)
    path = tmp_path / "embedding.npz"
    distillation.save(path, vectors, weights, {"teacher": "test"})
    loaded = StaticEmbedder(path)
    step = np.abs(vectors).max(axis=0) / 127
    assert np.all(np.abs(loaded.vectors - vectors) <= step / 2 + 1e-6)
    np.testing.assert_allclose(loaded.weights, weights, rtol=1e-3, atol=1e-6)  # float16
    assert loaded.metadata == {"teacher": "test"}


def test_recent_texts_are_kept_and_tokenized_once(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = StaticEmbedder(cache_size=2)
    uncached = StaticEmbedder(cache_size=0)
    tokenized: list[list[str]] = []
    pieces = fresh.pieces

    def counting(texts: list[str]) -> list[list[int]]:
        tokenized.append(list(texts))
        return pieces(texts)

    monkeypatch.setattr(fresh, "pieces", counting)
    texts = ["The council met.", "The bridge is shut.", "The council met."]
    first = fresh.embed(texts)
    assert tokenized == [["The council met.", "The bridge is shut."]]  # each text once
    np.testing.assert_array_equal(first, uncached.embed(texts))
    # A caller changing its rows does not change what is kept.
    first[:] = 0
    again = fresh.embed(["The bridge is shut."])
    assert len(tokenized) == 1
    np.testing.assert_array_equal(again, uncached.embed(["The bridge is shut."]))
    # The oldest text goes when a third arrives.
    fresh.embed(["A new text.", "The bridge is shut."])
    fresh.embed(["The council met."])
    assert tokenized[-1] == ["The council met."]
    assert fresh.embed([]).shape == (0, fresh.dimensions)
