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
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from commentdesk.scoring import embedding
from commentdesk.scoring.builtin.relevance import (
    RelevanceScorer,
    StoryEmbeddings,
    similarity,
)
from commentdesk.scoring.builtin.relevance_dev import STORIES
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


def fit_calibration(embedder: embedding.TextEmbedder) -> dict[str, float]:
    """The scorer's six constants, refitted on the development set: a one-feature logistic
    regression each, classes balanced (see `relevance.py` for what each feature is)."""
    cache = StoryEmbeddings(size=len(STORIES))
    stories = cache.get_many([(story.title, story.text) for story in STORIES], embedder)
    matrices = [stories[StoryEmbeddings.key(story.title, story.text)] for story in STORIES]
    homes = [home for home, story in enumerate(STORIES) for _ in story.comments]
    comments = embedder.embed([text for story in STORIES for text in story.comments])
    similarities = np.stack([similarity(comments, matrix) for matrix in matrices], axis=1)
    margins, absolutes, labels = [], [], []
    for row, home in enumerate(homes):
        for target in range(len(STORIES)):
            others = np.delete(similarities[row], target)
            margins.append(similarities[row, target] - others.max())
            absolutes.append(similarities[row, target])
            labels.append(int(target == home))
    replies = [(home, pair) for home, story in enumerate(STORIES) for pair in story.replies]
    reply_vectors = embedder.embed([reply for _, (_, reply) in replies])
    parent_vectors = embedder.embed([parent for _, (parent, _) in replies])
    foreign = embedder.embed([story.comments[0] for story in STORIES])
    to_parent, parent_labels = [], []
    for row, (home, _) in enumerate(replies):
        to_parent.append(float(reply_vectors[row] @ parent_vectors[row]))
        parent_labels.append(1)
        for target in range(len(STORIES)):
            if target != home:
                to_parent.append(float(reply_vectors[row] @ foreign[target]))
                parent_labels.append(0)
    fitted = {}
    for name, values, truth in (
        ("relative", margins, labels),
        ("absolute", absolutes, labels),
        ("parent", to_parent, parent_labels),
    ):
        model = LogisticRegression(class_weight="balanced", C=100.0)
        model.fit(np.array(values, dtype=float)[:, None], truth)
        fitted[f"{name}_slope"] = round(float(model.coef_[0][0]), 1)
        fitted[f"{name}_offset"] = round(float(model.intercept_[0]), 2)
    return fitted


def thread_check(data_dir: Path, embedder: embedding.TextEmbedder) -> dict[str, float]:
    """Real comments, no stories: each non-spam YouTube comment against the centroid of its
    own video's other comments (1) and of each other video's comments (0), scored as the
    similarity to that centroid minus the best other one. Only three threads, on three songs:
    it shows that the embedding tells threads apart, not how close stories are told apart."""
    with (data_dir / "youtube_spam" / "comments.csv").open(newline="", encoding="utf-8") as f:
        rows = [row for row in csv.DictReader(f) if row["spam"] == "0"]
    videos = sorted({row["video"] for row in rows})
    vectors = embedder.embed([row["text"] for row in rows])
    owners = np.array([videos.index(row["video"]) for row in rows])
    sums = np.stack([vectors[owners == video].sum(axis=0) for video in range(len(videos))])
    labels, values = [], []
    for row, owner in enumerate(owners):
        centroids = sums.copy()
        centroids[owner] -= vectors[row]  # leave the comment itself out of its thread
        centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
        cosines = centroids @ vectors[row]
        for video in range(len(videos)):
            labels.append(int(video == owner))
            values.append(float(cosines[video] - np.delete(cosines, video).max()))
    return {
        "auc_youtube_threads": float(roc_auc_score(labels, values)),
        "youtube_comments": len(rows),
        "youtube_threads": len(videos),
    }
