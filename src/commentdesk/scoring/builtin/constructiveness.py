"""The constructiveness scorer: does a comment advance the story through a reason, evidence,
figures, a source, a relevant experience, or a question or proposal, civilly and on the story?

A logistic regression over fourteen features: the readable signals of
`constructiveness_signals` (markers count only in sentences tied to the story), how rare the
comment's words are, its embedding's similarity to the story's, and the civility of its worst
sentence from the shipped toxicity model, read with the same comment embedding (no second
transformer run). Weights live in `models/constructiveness.npz` as plain arrays, written by
`commentdesk train constructiveness` (scoring/constructiveness_training.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from commentdesk.scoring import embedding
from commentdesk.scoring.builtin import constructiveness_signals as signals
from commentdesk.scoring.builtin import toxicity
from commentdesk.scoring.builtin.shipped import ShippedScorer
from commentdesk.scoring.protocol import Score, ScoringContext
from commentdesk.scoring.shared import process_wide

MODEL_PATH = embedding.model_path("constructiveness", embedding.EmbeddingKind.TRANSFORMER)
FEATURES = (
    "reasons",
    "figures",
    "sources",
    "experience",
    "questions",
    "proposals",
    "story_words",
    "variety",
    "repetition",
    "length",
    "shouting",
    "specificity",
    "story_similarity",
    "toxicity",
)
# Which way each feature may push: the policy welcomes the first kind and discourages the
# second, so training keeps the coefficients' signs (constructiveness_training.fit).
PUSHES_DOWN = frozenset({"repetition", "shouting", "toxicity"})
SIGNS = {name: -1 if name in PUSHES_DOWN else 1 for name in FEATURES}
# What a signal is called in an explanation when it counted for the comment.
COUNTED = {
    "reasons": "gives a reason",
    "sources": "cites a source",
    "figures": "uses figures",
    "experience": "shares an experience",
    "questions": "asks a question",
    "proposals": "makes a proposal",
}
# Cosine similarity of comment and story embeddings. In the development half nine in ten
# constructive comments are above 0.2 (half above 0.4), and the off-topic essays below 0.1.
ON_STORY = 0.35
OFF_STORY = 0.2
UNCIVIL = 0.5
REPEATS = 0.15
SHOUTS = 0.5
# Where on the IDF scale (0: the commonest word, 1: unseen) a word starts to count as
# naming something; set on the development half.
RARE_FROM = 0.35
# The word vectorizers' default token pattern, so the words match the IDF table's.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def civility_model(
    kind: embedding.EmbeddingKind = embedding.EmbeddingKind.TRANSFORMER,
) -> toxicity.ToxicityModel:
    """The shipped toxicity model, the one copy the toxicity scorer also uses."""
    return toxicity._shared_model(embedding.model_path("toxicity", kind))


def story_text(context: ScoringContext) -> str:
    """What the story's embedding is made from: its title, then its text."""
    return f"{context.story_title}\n\n{context.story_text}".strip()


@dataclass(frozen=True)
class Reading:
    """One comment's feature row and what went into it, for the explanation."""

    signals: signals.Signals
    similarity: float
    toxicity: float
    row: NDArray[np.float64]


def read(
    texts: Sequence[str],
    contexts: Sequence[ScoringContext],
    embedder: embedding.TextEmbedder,
    civility: toxicity.ToxicityModel,
    kind: embedding.EmbeddingKind = embedding.EmbeddingKind.TRANSFORMER,
) -> list[Reading]:
    """Feature rows for many comments: one embedding call for the comments and their stories;
    civility and specificity from the toxicity model's tables, no second model."""
    stories = sorted({story_text(context) for context in contexts})
    # One call for both: the shared embedder caches each text, so a story already seen and a
    # comment the other scorers have just read cost nothing here.
    vectors = embedder.embed([*texts, *stories])
    comment_vectors = vectors[: len(texts)]
    story_vectors = dict(zip(stories, vectors[len(texts) :], strict=True))
    civility_vectors = (
        comment_vectors
        if kind is embedding.EmbeddingKind.TRANSFORMER
        else embedder.embed(toxicity.embedding_input(texts, kind))
    )
    toxic = _worst_sentence_toxicity(texts, civility_vectors, civility)
    rarity = _Rarity.of(civility)
    story_stems = {story: signals.content_stems(story, rarity.is_rare) for story in stories}
    readings = []
    for index, (text, context) in enumerate(zip(texts, contexts, strict=True)):
        found = signals.read(
            text, story_stems=story_stems[story_text(context)], is_rare=rarity.is_rare
        )
        similarity = float(comment_vectors[index] @ story_vectors[story_text(context)])
        # An empty comment embeds as padding, which resembles nothing; give it no similarity.
        similarity = similarity if found.words else 0.0
        row = np.array(
            [
                found.capped(found.reasons),
                found.capped(found.figures),
                found.capped(found.sources),
                found.capped(found.experience),
                found.capped(found.questions),
                found.capped(found.proposals),
                found.capped(found.story_words),
                found.variety,
                found.repetition,
                found.length,
                found.shouting,
                rarity.specificity(text),
                similarity,
                toxic[index],
            ]
        )
        readings.append(Reading(found, similarity, float(toxic[index]), row))
    return readings


def _worst_sentence_toxicity(
    texts: Sequence[str], vectors: NDArray[np.float32], civility: toxicity.ToxicityModel
) -> NDArray[np.float64]:
    # The toxicity of the worst sentence, not of the whole: polite padding dilutes an insult's
    # n-grams in the whole comment's TF-IDF vector, and would wash it out. Each sentence is read
    # with the whole comment's embedding, so the transformer still runs once per comment.
    owners: list[int] = []
    pieces: list[str] = []
    for index, text in enumerate(texts):
        sentences = [part.strip() for part in signals.SENTENCE.findall(text) if part.strip()]
        for piece in [text, *sentences] if len(sentences) > 1 else [text]:
            owners.append(index)
            pieces.append(piece)
    values = civility.predict(civility.features(pieces, vectors[owners]))["toxicity"]
    worst = np.zeros(len(texts))
    np.maximum.at(worst, owners, values)
    return worst


@dataclass(frozen=True)
class _Rarity:
    """How rare the comment's words are, from the toxicity model's word IDF table (37,000
    comments): concrete comments name things (route, shuttle, audit); filler and rants use
    common words. A mean, so padding a comment with common words lowers it."""

    idf: dict[str, float]
    lowest: float
    highest: float

    @staticmethod
    @cache
    def of(civility: toxicity.ToxicityModel) -> _Rarity:
        idf = {
            str(term): float(value)
            for term, value in zip(
                civility.words.get_feature_names_out(), civility.words.idf_, strict=True
            )
            if " " not in str(term)
        }
        return _Rarity(idf, min(idf.values()), max(idf.values()))

    def is_rare(self, word: str) -> bool:
        """Whether a word is uncommon enough to tie a comment to its story (not "this",
        "people", "think"); words the table has never seen are rare."""
        if word in ENGLISH_STOP_WORDS:
            return False
        return self.idf.get(word, self.highest) > self.lowest + RARE_FROM * (
            self.highest - self.lowest
        )

    def specificity(self, text: str) -> float:
        """Mean IDF of the comment's words, from 0 (all common) to 1 (all unseen)."""
        words = _TOKEN.findall(toxicity.blind_groups(text))
        if not words:
            return 0.0
        mean = sum(self.idf.get(word, self.highest) for word in words) / len(words)
        return (mean - self.lowest) / (self.highest - self.lowest)


class ConstructivenessModel:
    """Standardised features and one logistic-regression head, as plain arrays."""

    def __init__(
        self,
        mean: NDArray[np.float64],
        scale: NDArray[np.float64],
        coefficients: NDArray[np.float64],
        intercept: float,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self.mean = mean
        self.scale = scale
        self.coefficients = coefficients
        self.intercept = intercept
        self.metadata = metadata or {}

    def contributions(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        """Each feature's push on the log-odds, per row (positive: towards constructive)."""
        contributions: NDArray[np.float64] = (rows - self.mean) / self.scale * self.coefficients
        return contributions

    def probability(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        logits = self.contributions(rows).sum(axis=1) + self.intercept
        probability: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-logits))
        return probability

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path,
            features=np.array(FEATURES, dtype=str),
            mean=self.mean,
            scale=self.scale,
            coefficients=self.coefficients,
            intercept=np.array(self.intercept),
            metadata=np.array(json.dumps(self.metadata)),
        )

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> ConstructivenessModel:
        with np.load(path, allow_pickle=False) as stored:
            names = tuple(str(name) for name in stored["features"])
            if names != FEATURES:
                raise ValueError(f"{path} was trained on features {names}, not {FEATURES}")
            return cls(
                stored["mean"].astype(np.float64),
                stored["scale"].astype(np.float64),
                stored["coefficients"].astype(np.float64),
                float(stored["intercept"]),
                json.loads(str(stored["metadata"])),
            )


def explain(model: ConstructivenessModel, reading: Reading, value: float) -> str:
    """What counted for the comment and what held it back, in words."""
    push = dict(zip(FEATURES, model.contributions(reading.row[None, :])[0], strict=True))
    found = reading.signals
    counts = {name: getattr(found, name) for name in COUNTED}
    # Every welcome signal the comment has, the strongest push first; training keeps their
    # coefficients at zero or above, so none of them is named while it held the score down.
    present = sorted((name for name in COUNTED if counts[name] > 0), key=lambda name: -push[name])
    counted = [COUNTED[name] for name in present]
    if reading.similarity >= ON_STORY:
        counted.append("on the story")
    held_back = []
    if found.words and reading.similarity < OFF_STORY:
        held_back.append("off the story")
    if reading.toxicity >= UNCIVIL:
        held_back.append("uncivil")
    if found.repetition >= REPEATS:
        held_back.append("repeats itself")
    if found.shouting >= SHOUTS:
        held_back.append("shouts")
    if value >= 0.5:
        because = ", ".join(counted) or "no single signal"
        held = f"; held back: {', '.join(held_back)}" if held_back else ""
        return f"Likely constructive ({value:.0%}): {because}{held}."
    # A low score names what held it back; the welcome signals it has are named only when
    # nothing did, so an uncivil comment with one "should" is not praised for a proposal.
    if held_back:
        because = ", ".join(held_back)
    elif counted:
        because = f"{', '.join(counted)}, but not enough"
    else:
        because = "no reason, figure, source, experience or question"
    return f"Not likely constructive ({value:.0%}): {because}."


class ConstructivenessScorer(ShippedScorer[ConstructivenessModel]):
    """The built-in constructiveness scorer: one score, high for a comment that advances the
    story, with the signals that counted and what held it back."""

    name = "constructiveness"
    weights = "constructiveness"
    civility: toxicity.ToxicityModel | None = None

    def load(self) -> None:
        if self.model is None:
            super().load()
            self.civility = civility_model(self.kind)

    def read_weights(self, path: Path) -> ConstructivenessModel:
        return _shared_model(path)

    def score_batch(
        self, texts: Sequence[str], contexts: Sequence[ScoringContext]
    ) -> list[list[Score]]:
        self.load()
        assert self.model is not None and self.civility is not None
        assert self.embedder is not None
        if not texts:
            return []
        readings = read(texts, contexts, self.embedder, self.civility, self.kind)
        values = self.model.probability(np.vstack([reading.row for reading in readings]))
        return [
            [Score(self.name, float(np.clip(value, 0.0, 1.0)), explain(self.model, reading, value))]
            for reading, value in zip(readings, values, strict=True)
        ]


@process_wide
def _shared_model(path: Path) -> ConstructivenessModel:
    """One copy per process."""
    return ConstructivenessModel.load(path)
