"""Scoring and evaluating CSV files of comments offline (`commentdesk score` and `eval`)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from commentdesk.scoring.protocol import BatchScorer, Scorer, ScoringContext

Progress = Callable[[str, int, int], None]
SCORE_COLUMNS = (
    "toxicity",
    "severe_toxicity",
    "insult",
    "threat",
    "identity_attack",
    "obscenity",
    "spam",
    "relevance",
    "constructiveness",
)
BATCH = 64


def _context(row: dict[str, str]) -> ScoringContext:
    story_id = row.get("story_id") or None
    return ScoringContext(
        site_id=0,
        story_id=hash(story_id) if story_id else None,
        story_title=row.get("story_title") or "",
        story_text=row.get("story_text") or "",
        parent_text=row.get("parent_text") or None,
    )


def score_rows(
    rows: Sequence[dict[str, str]], scorers: Sequence[Scorer], progress: Progress
) -> list[dict[str, float]]:
    """Every scorer's scores for every row (column `text`), batch by batch."""
    results: list[dict[str, float]] = [{} for _ in rows]
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        texts = [row.get("text") or "" for row in chunk]
        contexts = [_context(row) for row in chunk]
        for scorer in scorers:
            if isinstance(scorer, BatchScorer):
                batch = scorer.score_batch(texts, contexts)
            else:
                batch = [
                    scorer.score(text, context)
                    for text, context in zip(texts, contexts, strict=True)
                ]
            for offset, scores in enumerate(batch):
                for score in scores:
                    results[start + offset][score.name] = score.value
        progress("scoring", min(start + BATCH, len(rows)), len(rows))
    return results


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        columns = list(reader.fieldnames or [])
    if "text" not in columns:
        raise ValueError(f"{path} has no `text` column (it has: {', '.join(columns)})")
    return columns, rows


def score_csv(source: Path, target: Path, scorers: Sequence[Scorer], progress: Progress) -> int:
    """Write the input columns plus one column per score; a score no scorer gives is empty."""
    columns, rows = read_rows(source)
    scored = score_rows(rows, scorers, progress)
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*columns, *SCORE_COLUMNS])
        for row, scores in zip(rows, scored, strict=True):
            writer.writerow(
                [
                    *(row[column] for column in columns),
                    *(
                        "" if name not in scores else f"{scores[name]:.4f}"
                        for name in SCORE_COLUMNS
                    ),
                ]
            )
    return len(rows)


@dataclass(frozen=True)
class Evaluation:
    score: str
    rows: int
    positives: int
    auc: float
    # (threshold name, threshold, precision, recall, share of rows at or above it)
    at_thresholds: list[tuple[str, float, float, float, float]]
    # (bin low, bin high, rows, mean score, observed positive rate)
    calibration: list[tuple[float, float, int, float, float]]


def evaluate(
    labels: Sequence[int], values: Sequence[float], *, score: str, thresholds: dict[str, float]
) -> Evaluation:
    truth = np.asarray(labels, dtype=int)
    predicted = np.asarray(values, dtype=float)
    at = []
    for name, threshold in thresholds.items():
        chosen = predicted >= threshold
        true_positive = int((chosen & (truth == 1)).sum())
        precision = true_positive / int(chosen.sum()) if chosen.any() else 0.0
        recall = true_positive / int(truth.sum()) if truth.any() else 0.0
        at.append((name, threshold, precision, recall, float(chosen.mean())))
    calibration = []
    # Ten bins of a tenth each; the small epsilon keeps 0.6 in [0.6, 0.7) despite rounding.
    bins = np.clip(np.floor(predicted * 10 + 1e-9), 0, 9).astype(int)
    for index in range(10):
        inside = bins == index
        if inside.any():
            calibration.append(
                (
                    index / 10,
                    (index + 1) / 10,
                    int(inside.sum()),
                    float(predicted[inside].mean()),
                    float(truth[inside].mean()),
                )
            )
    return Evaluation(
        score=score,
        rows=len(truth),
        positives=int(truth.sum()),
        auc=float(roc_auc_score(truth, predicted)),
        at_thresholds=at,
        calibration=calibration,
    )
