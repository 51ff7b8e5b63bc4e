"""Scoring and evaluating CSV files of comments offline (`commentdesk score` and `eval`): the
work; the CLI only parses options and prints."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from commentdesk.scoring.protocol import Scorer, ScoringContext
from commentdesk.scoring.runner import Runner

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
# Offline there is no reader waiting: a scorer gets as long as it needs, within reason.
OFFLINE_BUDGET_SECONDS = 600.0


class ScoringFailed(RuntimeError):
    """A scorer failed on a row of a file (offline, that is an error, not data)."""


def _contexts(rows: Sequence[dict[str, str]]) -> list[ScoringContext]:
    """Each row's context; rows sharing a `story_id` get one number (in order of appearance),
    and the file's other stories (by `story_id`, first title and text) as the other live ones."""
    story_numbers: dict[str, int] = {}
    stories: dict[str, tuple[str, str]] = {}
    for row in rows:
        if row.get("story_id"):
            stories.setdefault(
                row["story_id"], (row.get("story_title") or "", row.get("story_text") or "")
            )
    others = {
        story: tuple(told for key, told in stories.items() if key != story) for story in stories
    }
    contexts = []
    for row in rows:
        story = row.get("story_id") or ""
        contexts.append(
            ScoringContext(
                site_id=0,
                story_id=story_numbers.setdefault(story, len(story_numbers) + 1) if story else None,
                story_title=row.get("story_title") or "",
                story_text=row.get("story_text") or "",
                parent_text=row.get("parent_text") or None,
                other_stories=others.get(story, ()),
            )
        )
    return contexts


def score_rows(
    rows: Sequence[dict[str, str]], scorers: Sequence[Scorer], progress: Progress
) -> list[dict[str, float]]:
    """Every scorer's scores for every row (column `text`), through the same runner as
    posting (models loaded once, batches), with no time limit. A failing scorer stops it."""
    runner = Runner(scorers, budget_seconds=OFFLINE_BUDGET_SECONDS, max_batch=BATCH)
    contexts = _contexts(rows)
    results: list[dict[str, float]] = []
    try:
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            for outcome in runner.score_many(
                [row.get("text") or "" for row in chunk], contexts[start : start + BATCH]
            ):
                if not outcome.is_complete:
                    raise ScoringFailed(
                        f"scorers failed: {', '.join(outcome.failed + outcome.late)}"
                    )
                results.append({score.name: score.value for score in outcome.scores})
            progress("scoring", len(results), len(rows))
    finally:
        runner.close()
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
    labels: Sequence[int],
    values: Sequence[float],
    *,
    score: str,
    thresholds: dict[str, float],
    below: bool = False,
) -> Evaluation:
    """ROC-AUC, precision and recall at each threshold, and calibration. With `below` (a
    score where low is the warning, such as relevance), a threshold picks the rows at or
    below it, and precision and recall are of finding the label's negatives."""
    truth = np.asarray(labels, dtype=int)
    predicted = np.asarray(values, dtype=float)
    sought = truth == (0 if below else 1)
    at = []
    for name, threshold in thresholds.items():
        chosen = predicted <= threshold if below else predicted >= threshold
        true_positive = int((chosen & sought).sum())
        precision = true_positive / int(chosen.sum()) if chosen.any() else 0.0
        recall = true_positive / int(sought.sum()) if sought.any() else 0.0
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


@dataclass(frozen=True)
class LabelledFile:
    """The rows of a file to evaluate: those with a label, optionally only where
    `COLUMN=VALUE`."""

    labels: list[int]
    rows: list[dict[str, str]]


def labelled_rows(path: Path, *, label: str, only: str | None = None) -> LabelledFile:
    columns, rows = read_rows(path)
    if label not in columns:
        raise ValueError(f"{path} has no column {label!r}.")
    kept = [row for row in rows if row[label] not in ("", None)]
    if only is not None:
        column, _, wanted = only.partition("=")
        if column not in columns:
            raise ValueError(f"{path} has no column {column!r}.")
        kept = [row for row in kept if row[column] == wanted]
    labels = [int(float(row[label]) >= 0.5) for row in kept]
    if set(labels) != {0, 1}:
        raise ValueError("The labelled rows need both positives and negatives.")
    return LabelledFile(labels, kept)


def evaluate_file(
    path: Path,
    *,
    label: str,
    score: str,
    only: str | None,
    thresholds: dict[str, float],
    scorers: Sequence[Scorer],
    progress: Progress,
    below: bool = False,
) -> Evaluation:
    """Score a labelled CSV and compare `score` with the `label` column, at `thresholds`
    (0.5 when there are none; `below` as in `evaluate`)."""
    found = labelled_rows(path, label=label, only=only)
    scored = score_rows(found.rows, scorers, progress)
    if score not in scored[0]:
        raise ValueError(f"No scorer gives a score named {score!r}.")
    return evaluate(
        found.labels,
        [values[score] for values in scored],
        score=score,
        thresholds=thresholds or {"0.5": 0.5},
        below=below,
    )
