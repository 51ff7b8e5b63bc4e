"""Training the built-in models from the public labelled data in `../shared/data/` (see its
README for sources and licences). Reproducible: the split is a hash of each text, the solvers
are deterministic, and the same data gives the same weights.

Toxicity data:
- `jigsaw_toxic_train`: Wikipedia talk-page comments with `toxic` on every row and five more
  attributes on some. A row with `toxic` = 0 is taken as negative for every attribute (as in
  the original challenge, where every attribute implies toxic); a toxic row without attribute
  labels is left out of those heads.
- `civil_comments_toxic_spans`: news comments, every one toxic; an attribute counts when half
  the raters marked a span of that type.
- `civil_comments_sample1k`: news comments in their natural mix, `toxic` only.
- `identity.training_sentences()`: civil sentences naming identity groups, all non-toxic.

One row in five (by a hash of its text) is held out and never trained on.
"""

from __future__ import annotations

import csv
import hashlib
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix, diags
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from commentdesk.scoring import embedding
from commentdesk.scoring.builtin import identity
from commentdesk.scoring.builtin.toxicity import (
    ATTRIBUTES,
    CHAR_OPTIONS,
    TONE,
    WORD_OPTIONS,
    ToxicityModel,
    embedding_input,
)

Progress = Callable[[str, int, int], None]
HELD_OUT_BUCKETS = 5  # one in five
JIGSAW_COLUMNS = {
    "toxicity": "toxic",
    "severe_toxicity": "severe_toxic",
    "obscenity": "obscene",
    "threat": "threat",
    "insult": "insult",
    "identity_attack": "identity_hate",
}
CIVIL_SPAN_COLUMNS = {
    "obscenity": "obscene",
    "threat": "threat",
    "insult": "insult",
    "identity_attack": "identity_attack",
}


@dataclass(frozen=True)
class Example:
    text: str
    source: str
    labels: dict[str, float] = field(default_factory=dict)  # absent: not labelled


def is_held_out(text: str) -> bool:
    """Whether a text belongs to the held-out fifth: by a hash, so the split needs no file."""
    key = " ".join(text.lower().split()).encode()
    return int(hashlib.sha256(key).hexdigest()[:8], 16) % HELD_OUT_BUCKETS == 0


def _rows(path: Path) -> Iterable[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _number(cell: str | None) -> float | None:
    return None if cell is None or cell == "" else float(cell)


def toxicity_examples(data_dir: Path) -> list[Example]:
    examples = []
    for row in _rows(data_dir / "jigsaw_toxic_train" / "comments.csv"):
        toxic = _number(row["toxic"])
        assert toxic is not None
        labels = {"toxicity": toxic}
        for attribute, column in JIGSAW_COLUMNS.items():
            value = _number(row[column])
            if value is None and toxic == 0:
                value = 0.0
            if value is not None:
                labels[attribute] = value
        examples.append(Example(row["text"], "jigsaw", labels))
    for row in _rows(data_dir / "civil_comments_toxic_spans" / "comments.csv"):
        labels = {"toxicity": 1.0}
        for attribute, column in CIVIL_SPAN_COLUMNS.items():
            share = _number(row[column])
            if share is not None:
                labels[attribute] = float(share >= 0.5)
        examples.append(Example(row["text"], "civil_spans", labels))
    for row in _rows(data_dir / "civil_comments_sample1k" / "comments.csv"):
        toxic = _number(row["toxic"])
        if toxic is not None:
            examples.append(Example(row["text"], "civil_sample", {"toxicity": toxic}))
    for text in identity.training_sentences():
        examples.append(Example(text, "identity_training", dict.fromkeys(ATTRIBUTES, 0.0)))
    return examples


def split(examples: Sequence[Example]) -> tuple[list[Example], list[Example]]:
    train = [example for example in examples if not is_held_out(example.text)]
    held = [example for example in examples if is_held_out(example.text)]
    return train, held


def embed_all(
    texts: Sequence[str], embedder: embedding.TextEmbedder, progress: Progress, batch: int = 64
) -> NDArray[np.float32]:
    """Embeddings for many texts, shortest first so each batch pads little."""
    order = np.argsort([len(text) for text in texts], kind="stable")
    out = np.zeros((len(texts), embedder.dimensions), dtype=np.float32)
    for start in range(0, len(texts), batch):
        chosen = order[start : start + batch]
        out[chosen] = embedder.embed([texts[index] for index in chosen])
        progress("embedding", min(start + batch, len(texts)), len(texts))
    return out


# How much one row of each source counts. The civil sentences naming identity groups count
# several times over: a few hundred of them must outweigh thousands of attacks that use the
# same words. The Civil Comments span rows (all toxic by selection, many mildly) count less:
# at full weight they blur the line between rude and toxic (held-out Jigsaw AUC 0.976 against
# 0.979 at 0.3, with news comments unchanged).
SOURCE_WEIGHTS = {"identity_training": 4.0, "civil_spans": 0.3}


@dataclass(frozen=True)
class HeadOptions:
    """How one attribute's head is fitted: its L2 strength (scikit-learn's `C`), and whether
    its n-gram columns are first scaled by their log-count ratio between the head's positive
    and negative rows (NB-LR: Wang and Manning, 2012). The scaling is folded into the stored
    coefficients, so the shipped model reads the same features either way."""

    regularisation: float = 2.0
    log_count_ratio: bool = False
    # How much a row of a source counts for this head, where it differs from `SOURCE_WEIGHTS`.
    source_weights: Mapping[str, float] = field(default_factory=dict)
    # Whether the head reads the tone measures, where its kind's model has them (`READS_TONE`);
    # a head that does not gets zero coefficients for them.
    reads_tone: bool = True


# The static kind's were chosen per attribute by 3-fold cross-validation on the training rows
# (never the held-out fifth), over C in 1, 2, 4 with and without the ratio (the model card has
# the figures). The transformer's heads keep the options they were shipped with, but for the
# threat head's Toxic Spans weight (below), checked for it the same way.
_PLAIN, _RATIO = HeadOptions(2.0), HeadOptions(2.0, log_count_ratio=True)
_THREAT = HeadOptions(2.0, source_weights={"civil_spans": 0.6})
HEAD_OPTIONS: dict[embedding.EmbeddingKind, dict[str, HeadOptions]] = {
    embedding.EmbeddingKind.TRANSFORMER: {**dict.fromkeys(ATTRIBUTES, _PLAIN), "threat": _THREAT},
    embedding.EmbeddingKind.STATIC: {
        "toxicity": _RATIO,
        "severe_toxicity": HeadOptions(1.0),
        "obscenity": HeadOptions(1.0, log_count_ratio=True),
        # A Toxic Spans row that half its raters marked as a threat is a plain threat, not the
        # mild rudeness that made those rows count less elsewhere; at 0.6 against 0.3 the
        # cross-validated AUC rose on Jigsaw (0.9664 to 0.9695) and on Toxic Spans (0.8895 to
        # 0.8967) alike; with the transformer, 0.9733 to 0.9766 on Jigsaw, Toxic Spans level.
        # The other heads gain on Jigsaw at lower weights only by losing on the news comments
        # (model card), so they keep 0.3.
        "threat": _THREAT,
        "insult": HeadOptions(1.0, log_count_ratio=True),
        # The one head the tone measures made worse on both sets (below).
        "identity_attack": HeadOptions(1.0, log_count_ratio=True, reads_tone=False),
    },
}


# Which kinds' models read the comment's tone (`toxicity.tone`) beside the n-grams and the
# embedding. For the static kind, 3-fold cross-validation on the training rows (2026-12-06),
# Jigsaw then Toxic Spans: toxicity 0.9716 to 0.9728; severe toxicity 0.9860 to 0.9875; threat
# 0.9699 to 0.9703 and 0.8803 to 0.9038; insult 0.9706 to 0.9708 and 0.7185 to 0.7193;
# obscenity 0.9840 to 0.9838 and 0.8565 to 0.8602 (a news gain, taken); identity attack 0.9728
# to 0.9723 and 0.8172 to 0.8163, so that head does not read them. The transformer's model was
# not refitted with them: its figures meet the target, and the transformer's embedding of every
# training row takes about 15 minutes here.
READS_TONE = frozenset({embedding.EmbeddingKind.STATIC})


def log_count_ratio(
    features: csr_matrix, target: NDArray[np.int_], sparse_columns: int
) -> NDArray[np.float64]:
    """Per column, log(share of positive rows using it / share of negative rows using it),
    each count smoothed by 1; the dense columns past `sparse_columns` (the embedding) keep 1."""
    used = (features[:, :sparse_columns] != 0).astype(np.float64)
    positive = np.asarray(used[target == 1].sum(axis=0)).ravel() + 1.0
    negative = np.asarray(used[target == 0].sum(axis=0)).ravel() + 1.0
    ratio = np.ones(features.shape[1])
    ratio[:sparse_columns] = np.log((positive / positive.sum()) / (negative / negative.sum()))
    return ratio


def fit_toxicity(
    train: Sequence[Example],
    embeddings: NDArray[np.float32],
    progress: Progress,
    *,
    kind: embedding.EmbeddingKind,
    max_features: int = 60_000,
) -> ToxicityModel:
    texts = [example.text for example in train]
    words = TfidfVectorizer(min_df=2, max_features=max_features, **WORD_OPTIONS)
    chars = TfidfVectorizer(min_df=3, max_features=max_features, **CHAR_OPTIONS)
    progress("vectorising", 0, 2)
    words.fit(texts)
    progress("vectorising", 1, 2)
    chars.fit(texts)
    progress("vectorising", 2, 2)
    reads_tone = kind in READS_TONE
    features = (
        ToxicityModel(words, chars, {}, reads_tone=reads_tone).features(texts, embeddings).matrix()
    )
    sparse_columns = len(words.vocabulary_) + len(chars.vocabulary_)
    tone_columns = len(TONE) if reads_tone else 0
    heads = {}
    for done, attribute in enumerate(ATTRIBUTES):
        options = HEAD_OPTIONS[kind][attribute]
        rows = [i for i, example in enumerate(train) if attribute in example.labels]
        target = np.array([train[i].labels[attribute] >= 0.5 for i in rows], dtype=int)
        weights = {**SOURCE_WEIGHTS, **options.source_weights}
        sample_weight = np.array([weights.get(train[i].source, 1.0) for i in rows])
        chosen = features[rows]
        unread = 0 if options.reads_tone else tone_columns
        if unread:
            chosen = chosen[:, : features.shape[1] - unread]
        head = LogisticRegression(C=options.regularisation, max_iter=3000, random_state=0)
        if options.log_count_ratio:
            scale = log_count_ratio(chosen, target, sparse_columns)
            head.fit(chosen @ diags(scale), target, sample_weight=sample_weight)
            head.coef_ = head.coef_ * scale  # folded in: the model reads plain features
        else:
            head.fit(chosen, target, sample_weight=sample_weight)
        if unread:
            head.coef_ = np.hstack([head.coef_, np.zeros((1, unread))])
        heads[attribute] = head
        progress("training heads", done + 1, len(ATTRIBUTES))
    return ToxicityModel(words, chars, heads, reads_tone=reads_tone)


def evaluate_toxicity(
    model: ToxicityModel, held: Sequence[Example], embeddings: NDArray[np.float32]
) -> dict[str, Any]:
    """ROC-AUC per attribute and source on the held-out rows, and the false-positive rate on
    the identity test sentences at 0.5."""
    features = model.features([example.text for example in held], embeddings)
    predicted = model.predict(features)
    report: dict[str, Any] = {"auc": {}}
    for source in sorted({example.source for example in held}):
        per_attribute = {}
        for attribute in ATTRIBUTES:
            rows = [
                i
                for i, example in enumerate(held)
                if example.source == source and attribute in example.labels
            ]
            target = [held[i].labels[attribute] >= 0.5 for i in rows]
            if 0 < sum(target) < len(target):
                per_attribute[attribute] = round(
                    float(roc_auc_score(target, predicted[attribute][rows])), 4
                )
        if per_attribute:
            report["auc"][source] = per_attribute
    jigsaw = report["auc"].get("jigsaw", {})
    if jigsaw:
        report["jigsaw_mean_auc"] = round(float(np.mean(list(jigsaw.values()))), 4)
    return report


def identity_false_positives(
    model: ToxicityModel,
    embedder: embedding.TextEmbedder,
    kind: embedding.EmbeddingKind = embedding.EmbeddingKind.TRANSFORMER,
    threshold: float = 0.5,
) -> dict[str, Any]:
    sentences = identity.test_sentences()
    vectors = embedder.embed(embedding_input(sentences, kind))
    predicted = model.predict(model.features(sentences, vectors))
    worst = np.max(np.vstack([predicted[attribute] for attribute in ATTRIBUTES]), axis=0)
    flagged = [
        sentence for sentence, value in zip(sentences, worst, strict=True) if value >= threshold
    ]
    return {
        "sentences": len(sentences),
        "threshold": threshold,
        "false_positive_rate": round(len(flagged) / len(sentences), 4),
        "examples": flagged[:5],
    }


def write_held_out(path: Path, held: Sequence[Example]) -> None:
    """The held-out rows as a CSV that `commentdesk eval` reads: text, source, one column per
    attribute (empty where not labelled)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "source", *ATTRIBUTES])
        for example in held:
            writer.writerow(
                [
                    example.text,
                    example.source,
                    *(
                        ""
                        if attribute not in example.labels
                        else int(example.labels[attribute] >= 0.5)
                        for attribute in ATTRIBUTES
                    ),
                ]
            )


def sample(examples: list[Example], limit: int | None) -> list[Example]:
    """A fixed random subset (for a quick run); all of them without a limit."""
    if limit is None or limit >= len(examples):
        return examples
    return random.Random(0).sample(examples, limit)
