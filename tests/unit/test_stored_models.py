"""The run-time quick paths of the built-in models (`scoring/builtin/stored.py`): they must give
exactly what scikit-learn gives, only without its per-call input checks."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from commentdesk.scoring.builtin import relevance_vectors, spam, stored, toxicity

TEXTS = [
    "The council voted to keep the library open on Sundays.",
    "You are an IDIOT!!! An idiot, I say.",
    "Visit www.example.com for FREE ringtones, call 0800 123 456",
    "",
    "!!!",
    "a",
    "Café owners on the quay said the flood cost them a week of trade.",
    "the the  the\tflood\n\nflood, quay quay... THE Flood",
]


@pytest.mark.parametrize(
    "options",
    [
        toxicity.WORD_OPTIONS,
        toxicity.CHAR_OPTIONS,
        spam.WORD_OPTIONS,
        spam.CHAR_OPTIONS,
        relevance_vectors.WORD_OPTIONS,
        relevance_vectors.PIECE_OPTIONS,
    ],
    ids=[
        "toxicity words",
        "toxicity characters",
        "spam words",
        "spam characters",
        "relevance words",
        "relevance pieces",
    ],
)
def test_the_quick_vectorizer_gives_what_scikit_learn_gives(options: dict[str, object]) -> None:
    fitted = TfidfVectorizer(**options).fit(TEXTS[:3] + TEXTS[-1:])  # type: ignore[arg-type]
    arrays = stored.vectorizer_arrays("test", fitted)
    quick = stored.vectorizer(options, arrays, "test")
    assert isinstance(quick, stored.QuickTfidfVectorizer)
    expected = fitted.transform(TEXTS)
    quick.transform(TEXTS[::-1])  # words seen before come from its cache, and must give the same
    got = quick.transform(TEXTS)
    assert got.shape == expected.shape
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    np.testing.assert_allclose(got.data, expected.data, rtol=1e-6)
    # Rows with nothing in the vocabulary stay empty, not NaN; no rows at all is no rows.
    assert got[3].nnz == 0 and not np.isnan(got.data).any()
    assert quick.transform([]).shape == (0, expected.shape[1])


def test_the_quick_vectorizer_pickles_without_its_cache() -> None:
    options = toxicity.CHAR_OPTIONS
    fitted = TfidfVectorizer(**options).fit(TEXTS)  # type: ignore[arg-type]
    quick = stored.vectorizer(options, stored.vectorizer_arrays("test", fitted), "test")
    quick.transform(TEXTS)
    copy = pickle.loads(pickle.dumps(quick))
    assert "_word_columns" not in copy.__dict__
    np.testing.assert_allclose(copy.transform(TEXTS).toarray(), quick.transform(TEXTS).toarray())


def test_the_quick_vectorizer_falls_back_for_other_options() -> None:
    plain = {**toxicity.WORD_OPTIONS, "sublinear_tf": False}
    fitted = TfidfVectorizer(**plain).fit(TEXTS)  # type: ignore[arg-type]
    quick = stored.vectorizer(plain, stored.vectorizer_arrays("test", fitted), "test")
    np.testing.assert_allclose(
        quick.transform(TEXTS).toarray(), fitted.transform(TEXTS).toarray(), rtol=1e-6
    )


def test_probabilities_match_predict_proba_for_several_heads() -> None:
    features = TfidfVectorizer().fit_transform(TEXTS * 3)
    heads = []
    for seed in range(3):
        labels = np.random.default_rng(seed).integers(0, 2, features.shape[0])
        labels[:2] = [0, 1]
        heads.append(LogisticRegression().fit(features, labels))
    intercepts = np.array([head.intercept_[0] for head in heads])
    got = stored.probabilities(features, stored.head_weights(heads), intercepts)
    for column, head in enumerate(heads):
        np.testing.assert_allclose(got[:, column], head.predict_proba(features)[:, 1])


def test_feature_blocks_give_what_the_joined_matrix_gives() -> None:
    """Scoring multiplies a model's blocks one by one; training fits the joined matrix. Both
    must give the same probabilities, and the words block is the matrix's first columns."""
    words = TfidfVectorizer().fit(TEXTS)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3)).fit(TEXTS)
    dense = np.random.default_rng(3).normal(size=(len(TEXTS), 5)).astype(np.float32)
    rows = stored.FeatureRows((words.transform(TEXTS), chars.transform(TEXTS)), dense)
    joined = rows.matrix()
    assert joined.shape == (len(TEXTS), len(words.vocabulary_) + len(chars.vocabulary_) + 5)
    weights = np.random.default_rng(4).normal(size=(joined.shape[1], 2))
    intercepts = np.array([0.3, -0.2])
    np.testing.assert_allclose(
        stored.probabilities(rows, weights, intercepts),
        stored.probabilities(joined, weights, intercepts),
    )
    names = words.get_feature_names_out()
    coefficients = weights[:, 0]
    assert stored.raising_words(rows, 1, coefficients, names) == stored.raising_words(
        joined, 1, coefficients, names
    )
