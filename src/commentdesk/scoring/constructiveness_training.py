"""Fitting and measuring the constructiveness model on the labelled set written for it
(`builtin/constructive_dev.py`): fit on the development half, report on the test half against
comment length, and check that padding a comment does not buy a higher score.

Reproducible: the halves are a hash of each text, the solver is deterministic, and the
regularisation is chosen by a fixed cross-validation on the development half only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from commentdesk.scoring import embedding
from commentdesk.scoring.builtin import constructive_dev
from commentdesk.scoring.builtin.constructiveness import (
    FEATURES,
    SIGNS,
    ConstructivenessModel,
    civility_model,
    read,
)
from commentdesk.scoring.protocol import ScoringContext

Progress = Callable[[str, int, int], None]
REGULARISATIONS = (0.1, 0.3, 1.0, 3.0)
# Constructive-looking filler, the kind a commenter adds to look thoughtful: markers of reasons,
# proposals and experience, and nothing about the story. The first was used while choosing the
# features (on the development half); the other two were written afterwards and never tuned on.
FILLERS = {
    "filler_seen_in_design": (
        " I have been thinking about this for a long time, and I really do believe this is an"
        " important issue for everyone in our community, because it matters to all of us and we"
        " should all take the time to think about it carefully and talk about it with each other."
    ),
    "filler_unseen_1": (
        " To be clear, I have read the whole article twice, and my view, based on years of"
        " following these things closely, is that we need to look at the bigger picture here and"
        " consider every side of the question before anyone decides anything."
    ),
    "filler_unseen_2": (
        " As I said to my neighbour only yesterday, the thing about all this is that it could go"
        " either way, which is why people ought to stay informed, keep an open mind, and read"
        " more about it. What do the rest of you think?"
    ),
}


@dataclass(frozen=True)
class Featured:
    """The labelled comments of one half with their feature rows."""

    texts: list[str]
    labels: NDArray[np.int64]
    rows: NDArray[np.float64]


def context_of(comment: constructive_dev.LabelledComment) -> ScoringContext:
    return ScoringContext(site_id=0, story_title=comment.story.title, story_text=comment.story.text)


def featurise(
    comments: Sequence[constructive_dev.LabelledComment],
    embedder: embedding.TextEmbedder,
    kind: embedding.EmbeddingKind = embedding.EmbeddingKind.TRANSFORMER,
) -> Featured:
    texts = [comment.text for comment in comments]
    readings = read(
        texts,
        [context_of(comment) for comment in comments],
        embedder,
        civility_model(kind),
        kind,
    )
    return Featured(
        texts,
        np.array([comment.is_constructive for comment in comments], dtype=np.int64),
        np.vstack([reading.row for reading in readings]),
    )


def fit(
    rows: NDArray[np.float64], labels: NDArray[np.int64], regularisation: float
) -> ConstructivenessModel:
    """L2-regularised logistic regression (scikit-learn's objective, `C` = `regularisation`)
    with each coefficient's sign fixed by `SIGNS`: on a small written set a welcome signal
    could otherwise come out pushing down, and the explanation would then contradict it."""
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale < 1e-9] = 1.0
    standard = (rows - mean) / scale
    target = labels.astype(np.float64)

    def loss(weights: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        logits = standard @ weights[:-1] + weights[-1]
        probability = expit(logits)
        value = regularisation * float(np.sum(np.logaddexp(0.0, logits) - target * logits))
        value += 0.5 * float(weights[:-1] @ weights[:-1])
        error = regularisation * (probability - target)
        gradient = np.append(standard.T @ error + weights[:-1], error.sum())
        return value, gradient

    bounds = [(0.0, None) if SIGNS[name] > 0 else (None, 0.0) for name in FEATURES]
    result = minimize(
        loss,
        np.zeros(len(FEATURES) + 1),
        jac=True,
        method="L-BFGS-B",
        bounds=[*bounds, (None, None)],
    )
    return ConstructivenessModel(mean, scale, result.x[:-1].copy(), float(result.x[-1]))


def choose_regularisation(development: Featured) -> tuple[float, dict[str, float]]:
    """The C with the best mean ROC-AUC over five fixed folds of the development half."""
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    results = {}
    for regularisation in REGULARISATIONS:
        aucs = []
        for train, held in folds.split(development.rows, development.labels):
            model = fit(development.rows[train], development.labels[train], regularisation)
            predicted = model.probability(development.rows[held])
            aucs.append(roc_auc_score(development.labels[held], predicted))
        results[str(regularisation)] = round(float(np.mean(aucs)), 4)
    best = max(REGULARISATIONS, key=lambda regularisation: results[str(regularisation)])
    return best, results


def length_aucs(texts: Sequence[str], labels: NDArray[np.int64]) -> dict[str, float]:
    """The baselines: characters, and log of characters (the same ranking, so the same AUC
    unless ties differ; both are reported because the issue asks for both)."""
    characters = np.array([len(text) for text in texts], dtype=np.float64)
    return {
        "length_characters": round(float(roc_auc_score(labels, characters)), 4),
        "log_length": round(float(roc_auc_score(labels, np.log1p(characters))), 4),
    }


def _appending(filler: str) -> Callable[[str], str]:
    return lambda text: text + filler


def gaming_check(
    model: ConstructivenessModel,
    comments: Sequence[constructive_dev.LabelledComment],
    featured: Featured,
    embedder: embedding.TextEmbedder,
    kind: embedding.EmbeddingKind = embedding.EmbeddingKind.TRANSFORMER,
) -> dict[str, Any]:
    """Pad every unconstructive test comment (with each of `FILLERS`, and with itself three
    times over) and compare its length and score before and after."""
    unconstructive = [comment for comment in comments if not comment.is_constructive]
    before = featurise(unconstructive, embedder, kind)
    report: dict[str, Any] = {"comments": len(unconstructive)}
    constructive_scores = model.probability(featured.rows[featured.labels == 1])
    pads = {name: _appending(filler) for name, filler in FILLERS.items()}
    pads["repeated_three_times"] = lambda text: " ".join([text] * 3)
    for name, pad in pads.items():
        padded = [
            constructive_dev.LabelledComment(comment.story, pad(comment.text), False)
            for comment in unconstructive
        ]
        after = featurise(padded, embedder, kind)
        scores_before = model.probability(before.rows)
        scores_after = model.probability(after.rows)
        # The gamed half: constructive comments as written, the others padded.
        gamed_texts = [*np.array(featured.texts)[featured.labels == 1], *after.texts]
        gamed_labels = np.array([1] * int(featured.labels.sum()) + [0] * len(padded))
        gamed_scores = np.concatenate([constructive_scores, scores_after])
        report[name] = {
            "mean_characters_before": round(float(np.mean([len(t) for t in before.texts])), 1),
            "mean_characters_after": round(float(np.mean([len(t) for t in after.texts])), 1),
            "mean_score_before": round(float(scores_before.mean()), 4),
            "mean_score_after": round(float(scores_after.mean()), 4),
            "share_over_half_after": round(float((scores_after >= 0.5).mean()), 4),
            "gamed_test_auc_scorer": round(float(roc_auc_score(gamed_labels, gamed_scores)), 4),
            "gamed_test_auc_length": length_aucs(gamed_texts, gamed_labels)["length_characters"],
        }
    return report


def train(
    embedder: embedding.TextEmbedder,
    progress: Progress,
    *,
    out: Path,
    kind: embedding.EmbeddingKind = embedding.EmbeddingKind.TRANSFORMER,
) -> dict[str, Any]:
    """Fit on the development half, measure on the test half, write the weights to `out`,
    and return the metrics (also stored in the weights' metadata)."""
    progress("reading the development half", 0, 1)
    development = featurise(constructive_dev.development_half(), embedder, kind)
    progress("reading the development half", 1, 1)
    progress("reading the test half", 0, 1)
    test = featurise(constructive_dev.test_half(), embedder, kind)
    progress("reading the test half", 1, 1)
    regularisation, cross_validated = choose_regularisation(development)
    model = fit(development.rows, development.labels, regularisation)
    metrics: dict[str, Any] = {
        "rows": {
            "development": len(development.texts),
            "test": len(test.texts),
            "test_constructive": int(test.labels.sum()),
        },
        "regularisation": regularisation,
        "development_cross_validated_auc": cross_validated,
        "test_auc_scorer": round(
            float(roc_auc_score(test.labels, model.probability(test.rows))), 4
        ),
        **{
            f"test_auc_{name}": value
            for name, value in length_aucs(test.texts, test.labels).items()
        },
    }
    progress("gaming check", 0, 1)
    metrics["gaming"] = gaming_check(model, constructive_dev.test_half(), test, embedder, kind)
    progress("gaming check", 1, 1)
    metrics["coefficients"] = {
        name: round(float(value), 3)
        for name, value in zip(FEATURES, model.coefficients, strict=True)
    }
    model.metadata = metrics
    model.save(out)
    return metrics


def run(
    progress: Progress,
    *,
    out: Path | None = None,
    kind: embedding.EmbeddingKind = embedding.EmbeddingKind.TRANSFORMER,
) -> dict[str, Any]:
    """`commentdesk train constructiveness`: refit on the development half, report on the
    test half, and write the weights (the package's for that embedding by default)."""
    target = out or embedding.model_path("constructiveness", kind)
    return train(embedding.for_training(kind), progress, out=target, kind=kind)
