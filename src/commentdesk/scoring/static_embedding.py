"""The static embedding: a vector and a weight per word piece, distilled by the project from
all-MiniLM-L6-v2 (`distillation.py`, `commentdesk train embedding`) and shipped as plain arrays
in `models/static/embedding.npz`.

A text's embedding is the weighted sum of its pieces' vectors, scaled to unit length: one
tokenizer call (`tokenizers`, in Rust) and one sparse product, about 0.1 ms a comment where
the transformer takes 40 ms or more. The vectors were fitted so that the sum points where the
transformer's embedding of the same text points; rare pieces weigh more than common ones.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from cachetools import LRUCache
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from commentdesk.scoring.embedding import CACHE_SIZE, EmbeddingKind, model_path, tokenizer_path
from commentdesk.scoring.shared import process_wide

MODEL_PATH = model_path("embedding", EmbeddingKind.STATIC)
# Texts past this many word pieces (about 400 words) are cut.
MAX_TOKENS = 512


class StaticEmbedder:
    """Unit-length embeddings from the shipped table; thread-safe. Like the transformer's
    embedder it keeps the last `cache_size` texts' rows: the four scorers each embed the same
    comment (and constructiveness its story's whole text), and one tokenizer call cost more
    than all the rest of a comment's embedding."""

    def __init__(self, path: Path = MODEL_PATH, *, cache_size: int = CACHE_SIZE) -> None:
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(tokenizer_path()))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        with np.load(path, allow_pickle=False) as arrays:
            # int8 with one scale per dimension: a quarter of float32's size, and the rounding
            # moves cosines by less than 0.001.
            self.vectors = arrays["vectors"].astype(np.float32) * arrays["scales"]
            self.weights = arrays["weights"].astype(np.float32)
            self.metadata: dict[str, Any] = json.loads(str(arrays["metadata"]))
        self.dimensions = int(self.vectors.shape[1])
        self._lock = threading.Lock()
        self._cache: LRUCache[str, NDArray[np.float32]] | None = (
            LRUCache(maxsize=cache_size) if cache_size > 0 else None
        )

    def pieces(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's word-piece ids, without the [CLS] and [SEP] marks."""
        with self._lock:
            encoded = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [item.ids for item in encoded]

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One row per text; a text with no pieces (empty) is all zeros."""
        cache = self._cache
        if cache is None:
            return self._embed(texts)
        with self._lock:
            found = {text: cache[text] for text in texts if text in cache}
        missing = [text for text in dict.fromkeys(texts) if text not in found]
        if missing:
            computed = self._embed(missing)
            with self._lock:
                for text, row in zip(missing, computed, strict=True):
                    cache[text] = found[text] = row
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.stack([found[text] for text in texts])

    def _embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        pieces = self.pieces(texts)
        lengths = np.array([len(row) for row in pieces], dtype=np.int64)
        summed = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        present = lengths > 0
        if present.any():
            ids = np.fromiter((piece for row in pieces for piece in row), np.int64, lengths.sum())
            # Each piece's row, weighted, then summed per text: a gather and one reduction.
            rows = self.vectors[ids] * self.weights[ids, None]
            starts = np.concatenate([[0], np.cumsum(lengths[present])[:-1]])
            summed[present] = np.add.reduceat(rows, starts, axis=0)
        norms = np.linalg.norm(summed, axis=1, keepdims=True)
        unit: NDArray[np.float32] = (summed / np.where(norms > 0, norms, 1.0)).astype(np.float32)
        return unit


def weighted_pieces(pieces: Sequence[Sequence[int]], weights: NDArray[np.float32]) -> csr_matrix:
    """Texts x pieces, each text's piece weights scaled to sum to 1: what `distillation.fit`
    fits the table against (`StaticEmbedder.embed` sums the same weights directly)."""
    lengths = np.array([len(row) for row in pieces], dtype=np.int64)
    columns = np.fromiter((piece for row in pieces for piece in row), np.int64, int(lengths.sum()))
    values = weights[columns].astype(np.float64)
    owners = np.repeat(np.arange(len(pieces)), lengths)
    totals = np.bincount(owners, weights=values, minlength=len(pieces))
    values /= np.where(totals > 0, totals, 1.0)[owners]
    matrix = csr_matrix(
        (values, columns, np.concatenate([[0], np.cumsum(lengths)])),
        shape=(len(pieces), len(weights)),
    )
    matrix.sum_duplicates()
    return matrix


@process_wide
def shared_static() -> StaticEmbedder:
    return StaticEmbedder()
