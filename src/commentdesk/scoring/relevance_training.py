"""Calibrating and measuring the relevance scorer (`commentdesk train relevance`): on the
written development set (each comment under its own story against the same comment moved under
every other story of the site) and on real comments grouped by thread (the YouTube set in
`../shared/data/`, whose text must never be copied into the project).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from commentdesk.scoring import embedding
from commentdesk.scoring.builtin.relevance import (
    Calibration,
    RelevanceScorer,
    judge,
    similarities,
)
from commentdesk.scoring.builtin.relevance_dev import STORIES
from commentdesk.scoring.builtin.relevance_vectors import StoryEmbeddings, WordTable
from commentdesk.scoring.protocol import ScoringContext

CSV_COLUMNS = ("text", "story_id", "story_title", "story_text", "parent_text", "relevant", "kind")


@dataclass(frozen=True)
class DevRow:
    """A comment (or reply) placed under a story: its own (`relevant` 1) or another (0)."""

    text: str
    story: int
    parent_text: str
    relevant: int
    kind: str  # "comment" or "reply"


def dev_rows() -> list[DevRow]:
    """Every comment and reply of the development set under every story. A reply moved to
    another story goes with a parent from there (that story's first comment), as if posted in
    the wrong thread."""
    rows = []
    for home, story in enumerate(STORIES):
        for text in story.comments:
            for target in range(len(STORIES)):
                rows.append(DevRow(text, target, "", int(target == home), "comment"))
        for parent, reply in story.replies:
            for target in range(len(STORIES)):
                placed_parent = parent if target == home else STORIES[target].comments[0]
                rows.append(DevRow(reply, target, placed_parent, int(target == home), "reply"))
    return rows


def dev_context(row: DevRow, *, with_others: bool = True) -> ScoringContext:
    """The context `commentdesk score` builds for this row of the CSV: the file's other
    stories are the site's other live stories."""
    story = STORIES[row.story]
    return ScoringContext(
        site_id=0,
        story_id=row.story + 1,
        story_title=story.title,
        story_text=story.text,
        parent_text=row.parent_text or None,
        other_stories=tuple(
            (other.title, other.text) for index, other in enumerate(STORIES) if index != row.story
        )
        if with_others
        else (),
    )


def write_dev_csv(path: Path) -> int:
    """The development set in the `commentdesk score` format, with labels in `relevant`."""
    rows = dev_rows()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            story = STORIES[row.story]
            writer.writerow(
                [
                    row.text,
                    story.story_id,
                    story.title,
                    story.text,
                    row.parent_text,
                    row.relevant,
                    row.kind,
                ]
            )
    return len(rows)


def evaluate_dev(scorer: RelevanceScorer) -> dict[str, float]:
    """ROC-AUC of the shipped scorer on the development set: all rows, top-level comments,
    replies, and top-level comments with no other stories given (the absolute fallback)."""
    rows = dev_rows()
    with_others = _values(scorer, rows, with_others=True)
    labels = np.array([row.relevant for row in rows])
    top = np.array([row.kind == "comment" for row in rows])
    alone = _values(scorer, [row for row, keep in zip(rows, top, strict=True) if keep], False)
    return {
        "auc": float(roc_auc_score(labels, with_others)),
        "auc_comments": float(roc_auc_score(labels[top], with_others[top])),
        "auc_replies": float(roc_auc_score(labels[~top], with_others[~top])),
        "auc_comments_without_other_stories": float(roc_auc_score(labels[top], alone)),
        "rows": len(rows),
        "positives": int(labels.sum()),
    }


def _values(scorer: RelevanceScorer, rows: Sequence[DevRow], with_others: bool) -> NDArray[Any]:
    contexts = [dev_context(row, with_others=with_others) for row in rows]
    scored = scorer.score_batch([row.text for row in rows], contexts)
    return np.array([scores[0].value for scores in scored])


# The word weights tried; the one giving the best development-set AUC is kept.
LEXICAL_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0)


def fit_calibration(
    embedder: embedding.TextEmbedder, words: WordTable
) -> tuple[Calibration, dict[str, float]]:
    """The scorer's constants, refitted on the development set: for each word weight in
    `LEXICAL_WEIGHTS`, a one-feature logistic regression per similarity (classes balanced;
    see `relevance.Calibration`), and the weight whose calibration scores the set best. Returns
    the calibration and each weight's AUC."""
    rows = dev_rows()
    texts = [row.text for row in rows]
    with_others = similarities(
        texts, [dev_context(row) for row in rows], embedder, words, StoryEmbeddings()
    )
    alone = similarities(
        texts,
        [dev_context(row, with_others=False) for row in rows],
        embedder,
        words,
        StoryEmbeddings(),
    )
    labels = [row.relevant for row in rows]
    top = [row.kind == "comment" for row in rows]
    tried: dict[str, float] = {}
    best: tuple[float, Calibration] | None = None
    for weight in LEXICAL_WEIGHTS:
        comparisons = [_present(found).comparison(weight) for found in with_others]
        absolute = [_present(found).comparison(weight).to_story for found in alone]
        margins = [
            comparison.to_story - _present(comparison.best_other)[1] for comparison in comparisons
        ]
        replies = [row for row, comparison in enumerate(comparisons) if not top[row]]
        fitted = {
            "relative": _one_feature(
                [margins[row] for row in range(len(rows)) if top[row]],
                [labels[row] for row in range(len(rows)) if top[row]],
            ),
            "absolute": _one_feature(
                [absolute[row] for row in range(len(rows)) if top[row]],
                [labels[row] for row in range(len(rows)) if top[row]],
            ),
            "parent": _one_feature(
                [_present(comparisons[row].to_parent) for row in replies],
                [labels[row] for row in replies],
            ),
        }
        calibration = Calibration(
            relative_slope=fitted["relative"][0],
            relative_offset=fitted["relative"][1],
            absolute_slope=fitted["absolute"][0],
            absolute_offset=fitted["absolute"][1],
            parent_slope=fitted["parent"][0],
            parent_offset=fitted["parent"][1],
            lexical_weight=weight,
        )
        values = [judge(comparison, calibration).value for comparison in comparisons]
        auc = float(roc_auc_score(labels, values))
        tried[f"auc_at_lexical_weight_{weight}"] = round(auc, 4)
        if best is None or auc > best[0]:
            best = (auc, calibration)
    assert best is not None
    return best[1], tried


Present = TypeVar("Present")


def _present(value: Present | None) -> Present:
    assert value is not None  # every development row has a story, other stories, a parent
    return value


def _one_feature(values: Sequence[float], truth: Sequence[int]) -> tuple[float, float]:
    """Slope and offset of a one-feature logistic regression, rounded as stored."""
    model = LogisticRegression(class_weight="balanced", C=100.0)
    model.fit(np.array(values, dtype=float)[:, None], truth)
    return round(float(model.coef_[0][0]), 1), round(float(model.intercept_[0]), 2)


def thread_check(
    data_dir: Path,
    embedder: embedding.TextEmbedder,
    words: WordTable,
    lexical_weight: float,
) -> dict[str, float]:
    """Real comments, no stories: each non-spam YouTube comment against the centroid of its
    own video's other comments (1) and of each other video's comments (0), scored as the
    similarity to that centroid minus the best other one, with the words weighed in as the
    calibration weighs them and without. Only three threads, on three songs: it shows that
    the comparison tells threads apart, not how close stories are told apart; and, since
    these comments were not written for the project, whether the shared words help on real
    comments too."""
    with (data_dir / "youtube_spam" / "comments.csv").open(newline="", encoding="utf-8") as f:
        rows = [row for row in csv.DictReader(f) if row["spam"] == "0"]
    videos = sorted({row["video"] for row in rows})
    texts = [row["text"] for row in rows]
    vectors = embedder.embed(texts)
    counted = np.asarray(words.transform(texts).todense())
    owners = np.array([videos.index(row["video"]) for row in rows])

    def sums(matrix: NDArray[Any]) -> NDArray[Any]:
        return np.stack([matrix[owners == video].sum(axis=0) for video in range(len(videos))])

    def centroids(total: NDArray[Any], own: NDArray[Any], owner: int) -> NDArray[Any]:
        left = total.copy()
        left[owner] -= own  # leave the comment itself out of its thread
        norms = np.linalg.norm(left, axis=1, keepdims=True)
        scaled: NDArray[Any] = left / np.clip(norms, 1e-9, None)
        return scaled

    vector_sums, word_sums = sums(vectors), sums(counted)
    found: dict[str, float] = {}
    for name, weight in (("", lexical_weight), ("_embedding_only", 0.0)):
        labels, values = [], []
        for row, owner in enumerate(owners):
            cosines = centroids(vector_sums, vectors[row], owner) @ vectors[row]
            cosines = cosines + weight * (centroids(word_sums, counted[row], owner) @ counted[row])
            for video in range(len(videos)):
                labels.append(int(video == owner))
                values.append(float(cosines[video] - np.delete(cosines, video).max()))
        found[f"auc_youtube_threads{name}"] = float(roc_auc_score(labels, values))
    return {**found, "youtube_comments": len(rows), "youtube_threads": len(videos)}
