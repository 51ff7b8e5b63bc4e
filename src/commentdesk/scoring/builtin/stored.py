"""The built-in models' weights as plain arrays: what a TF-IDF vectorizer and a logistic
regression head need to be rebuilt on load, so a shipped `.npz` never holds a pickle. Also the
one way an explanation finds the words that raised a head's score, and the quick paths a
scorer takes at run time (`QuickTfidfVectorizer`, `probabilities`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix, hstack
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

# Words whose character n-gram columns a vectorizer keeps (`QuickTfidfVectorizer`): the
# commonest words make up most of any comment, and 16,384 of them cost about 4 MB.
WORD_CACHE = 16_384


def vectorizer_arrays(name: str, vectorizer: TfidfVectorizer) -> dict[str, NDArray[Any]]:
    """`{name}_vocabulary` and `{name}_idf`, to store beside the head."""
    return {
        f"{name}_vocabulary": np.array(vectorizer.get_feature_names_out(), dtype=str),
        f"{name}_idf": vectorizer.idf_.astype(np.float32),
    }


class QuickTfidfVectorizer(TfidfVectorizer):  # type: ignore[misc]
    """A fitted TF-IDF vectorizer (sublinear term frequency, IDF, unit length: the options the
    built-in models use) whose `transform` skips scikit-learn's per-call input checks.

    Scoring one comment calls `transform` a few times, and there those checks cost more than
    the work: measured on this machine, 1.8 ms against 0.8 ms for words, 4.1 ms against 1.9 ms
    for characters. The n-grams still come from scikit-learn's own analyzer, and a test holds
    the output equal to `TfidfVectorizer.transform`'s."""

    def transform(self, raw_documents: Iterable[str]) -> csr_matrix:
        if not (self.sublinear_tf and self.use_idf and self.norm == "l2" and not self.binary):
            return super().transform(raw_documents)
        columns_of = self._columns_of()
        found = [columns_of(document) for document in raw_documents]
        rows, width = len(found), len(self.idf_)
        # Each (row, column) pair as one number, counted for the whole batch at once: the
        # pairs come out sorted, row by row, as a CSR matrix keeps them.
        owners = np.repeat(np.arange(rows, dtype=np.int64), [len(row) for row in found])
        pairs = owners * width + np.concatenate([*found, np.zeros(0, dtype=np.int64)])
        cells, counts = np.unique(pairs, return_counts=True)
        owners, columns = np.divmod(cells, width)
        values = (1.0 + np.log(counts)) * self.idf_[columns]
        norms = np.sqrt(np.bincount(owners, weights=values * values, minlength=rows))
        values /= np.where(norms > 0, norms, 1.0)[owners]
        starts = np.concatenate([[0], np.cumsum(np.bincount(owners, minlength=rows))])
        return csr_matrix(
            (values.astype(self.dtype), columns.astype(np.int32), starts.astype(np.int32)),
            shape=(rows, width),
        )

    def _columns_of(self) -> Callable[[str], NDArray[np.int64]]:
        """A document's columns, one per n-gram of it in the vocabulary.

        Character n-grams within words (`char_wb`) are scikit-learn's own, found a word at a
        time: a word's n-grams never reach past it, so a document's are its words' one after
        another, and a word seen before (most words of any comment) costs a lookup instead of
        its n-grams. A third of the four scorers' time went on those n-grams."""
        vocabulary = self.vocabulary_
        known = vocabulary.__contains__
        column = vocabulary.__getitem__
        if self.analyzer != "char_wb":
            analyze = self.build_analyzer()
            return lambda document: np.fromiter(
                map(column, filter(known, analyze(document))), dtype=np.int64
            )
        cached = self.__dict__.get("_word_columns")
        if cached is None:
            ngrams = self._char_wb_ngrams

            def word_columns(word: str) -> NDArray[np.int64]:
                return np.fromiter(map(column, filter(known, ngrams(word))), dtype=np.int64)

            cached = self._word_columns = lru_cache(maxsize=WORD_CACHE)(word_columns)
        preprocess = self.build_preprocessor()
        decode = self.decode

        def document_columns(document: str) -> NDArray[np.int64]:
            words = [cached(word) for word in preprocess(decode(document)).split()]
            return np.concatenate(words) if words else np.zeros(0, dtype=np.int64)

        return document_columns

    def __getstate__(self) -> dict[str, Any]:
        state: dict[str, Any] = dict(super().__getstate__())
        state.pop("_word_columns", None)  # rebuilt on first use: a cache, not state
        return state


def vectorizer(options: dict[str, Any], stored: Any, name: str) -> QuickTfidfVectorizer:
    """A fitted vectorizer rebuilt from `vectorizer_arrays(name, ...)` and its options."""
    vocabulary = stored[f"{name}_vocabulary"]
    rebuilt = QuickTfidfVectorizer(
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


@dataclass(frozen=True)
class FeatureRows:
    """A model's features for a batch of texts as the blocks they are made of, columns in this
    order: the sparse n-gram blocks (words first), then one dense block (the embedding, the
    spam rules). Scoring multiplies block by block: joining them into one sparse matrix (the
    dense block made sparse, then stacked) cost more than the product itself when a few
    comments are scored at a time, a third of a millisecond a model. Training takes the
    joined `matrix()`."""

    sparse: tuple[csr_matrix, ...]
    dense: NDArray[Any]

    @property
    def words(self) -> csr_matrix:
        return self.sparse[0]

    def matrix(self) -> csr_matrix:
        return hstack([*self.sparse, csr_matrix(self.dense)], format="csr")

    def product(self, weights: NDArray[Any]) -> NDArray[np.float64]:
        """The rows times `weights` (all columns x heads), a block at a time."""
        start = 0
        total = np.zeros((self.dense.shape[0], weights.shape[1]))
        for block in self.sparse:
            end = start + block.shape[1]
            total += block @ weights[start:end]
            start = end
        total += self.dense.astype(np.float64) @ weights[start:]
        return total


def probabilities(
    features: FeatureRows | csr_matrix, weights: NDArray[Any], intercepts: NDArray[Any]
) -> NDArray[np.float64]:
    """Logistic-regression probabilities of several heads at once, one column per head:
    `weights` is features x heads, C-ordered (`head_weights`; a transposed view would be
    copied on every call). The same numbers as `predict_proba`, without its per-call input
    checks (about 1 ms a call here, more than the arithmetic)."""
    product = (
        features.product(weights)
        if isinstance(features, FeatureRows)
        else np.asarray(features @ weights, dtype=np.float64)
    )
    values: NDArray[np.float64] = expit(product + intercepts)
    return values


def head_weights(heads: Sequence[LogisticRegression]) -> NDArray[np.float64]:
    """The heads' coefficients side by side, features x heads, for `probabilities`."""
    if not heads:
        return np.zeros((0, 0))
    return np.ascontiguousarray(np.vstack([head.coef_[0] for head in heads]).T)


def raising_words(
    features: FeatureRows | csr_matrix,
    row: int,
    coefficients: NDArray[Any],
    names: NDArray[Any],
    *,
    count: int = 3,
    shown: Callable[[str], bool] = lambda word: True,
) -> list[str]:
    """The word features (the first `len(names)` columns) that raised this row's score the
    most, strongest first, leaving out those `shown` rejects (placeholders)."""
    vector = (features.words if isinstance(features, FeatureRows) else features).getrow(row)
    found = [
        (float(value * coefficients[column]), str(names[column]))
        for column, value in zip(vector.indices, vector.data, strict=True)
        if column < len(names) and value * coefficients[column] > 0 and shown(str(names[column]))
    ]
    return [word for _, word in sorted(found, reverse=True)[:count]]
