"""The built-in models' weights as plain arrays: what a TF-IDF vectorizer and a logistic
regression head need to be rebuilt on load, so a shipped `.npz` never holds a pickle. Also the
one way an explanation finds the words that raised a head's score."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression


def vectorizer_arrays(name: str, vectorizer: TfidfVectorizer) -> dict[str, NDArray[Any]]:
    """`{name}_vocabulary` and `{name}_idf`, to store beside the head."""
    return {
        f"{name}_vocabulary": np.array(vectorizer.get_feature_names_out(), dtype=str),
        f"{name}_idf": vectorizer.idf_.astype(np.float32),
    }


def vectorizer(options: dict[str, Any], stored: Any, name: str) -> TfidfVectorizer:
    """A fitted vectorizer rebuilt from `vectorizer_arrays(name, ...)` and its options."""
    vocabulary = stored[f"{name}_vocabulary"]
    rebuilt = TfidfVectorizer(
        vocabulary={str(term): index for index, term in enumerate(vocabulary)}, **options
    )
    rebuilt.idf_ = stored[f"{name}_idf"].astype(np.float64)
    return rebuilt


def head(coefficients: NDArray[Any], intercept: float) -> LogisticRegression:
    """A fitted binary logistic regression from its coefficients and intercept."""
    rebuilt = LogisticRegression()
    rebuilt.classes_ = np.array([0, 1])
    rebuilt.coef_ = coefficients.astype(np.float64)[None, :]
    rebuilt.intercept_ = np.array([float(intercept)])
    return rebuilt


def raising_words(
    features: csr_matrix,
    row: int,
    coefficients: NDArray[Any],
    names: NDArray[Any],
    *,
    count: int = 3,
    shown: Callable[[str], bool] = lambda word: True,
) -> list[str]:
    """The word features (the first `len(names)` columns) that raised this row's score the
    most, strongest first, leaving out those `shown` rejects (placeholders)."""
    vector = features.getrow(row)
    found = [
        (float(value * coefficients[column]), str(names[column]))
        for column, value in zip(vector.indices, vector.data, strict=True)
        if column < len(names) and value * coefficients[column] > 0 and shown(str(names[column]))
    ]
    return [word for _, word in sorted(found, reverse=True)[:count]]
