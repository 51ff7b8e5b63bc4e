"""The toxicity model and scorer: six logistic-regression heads (toxicity, severe toxicity,
obscenity, threat, insult, identity attack) over one feature vector per comment: TF-IDF word
and character n-grams, the comment's sentence embedding and, in the static kind's model, five
measures of its tone (`tone`).

Trained by `commentdesk train toxicity` (scoring/training.py) and shipped in
`models/toxicity.npz`: the vectorizers' vocabularies and IDF weights and the heads'
coefficients as plain arrays, rebuilt into scikit-learn objects on load, so nothing is
unpickled. The explanation names the words that pushed the score up the most.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer, strip_accents_unicode
from sklearn.linear_model import LogisticRegression

from commentdesk.scoring import embedding
from commentdesk.scoring.builtin import identity, letters, stored
from commentdesk.scoring.builtin.shipped import ShippedScorer
from commentdesk.scoring.protocol import Score, ScoringContext
from commentdesk.scoring.shared import process_wide

ATTRIBUTES = ("toxicity", "severe_toxicity", "obscenity", "threat", "insult", "identity_attack")
MODEL_PATH = embedding.model_path("toxicity", embedding.EmbeddingKind.TRANSFORMER)
# Words naming identity groups become one placeholder before the n-gram features see them, so
# "gay" or "Muslim" cannot carry toxicity by themselves (attacks and friendly mentions use the
# same words); what the comment says about the group still counts, and the sentence embedding
# still reads the original text.
GROUP = "identitygroup"
_GROUP_WORDS = sorted(
    {word.lower() for name in identity.IDENTITIES for word in name.split()}
    | {f"{word.lower()}s" for name in identity.IDENTITIES for word in name.split()[-1:]}
    | {"jews", "islam", "islamic", "homosexual", "homosexuals", "trans", "lgbt", "lgbtq"},
    key=len,
    reverse=True,
)
_GROUP_PATTERN = re.compile(r"\b(?:" + "|".join(map(re.escape, _GROUP_WORDS)) + r")\b")


@lru_cache(maxsize=1024)
def blind_groups(text: str) -> str:
    """The vectorizers' preprocessing: lower case, accents stripped, group names replaced.
    Kept for the latest texts: the word and the character vectorizers, and constructiveness,
    each ask for the same comment's."""
    return _GROUP_PATTERN.sub(GROUP, strip_accents_unicode(text.lower()))


def embedding_input(texts: Sequence[str], kind: embedding.EmbeddingKind) -> list[str]:
    """What the embedding reads. The transformer reads the comment as written: it tells "I am
    a Muslim woman" from an attack by the rest of the sentence. The static embedding adds up
    word-piece vectors, and the pieces for group names had taken on the attacks' toxicity (8%
    of the civil identity test sentences over 0.5, "I am a Muslim man." among them); it reads
    the text with group names blinded, as the n-grams do (0.2%)."""
    if kind is embedding.EmbeddingKind.STATIC:
        return [blind_groups(text) for text in texts]
    return list(texts)


WORD_OPTIONS: dict[str, Any] = {
    "sublinear_tf": True,
    "ngram_range": (1, 2),
    "preprocessor": blind_groups,
    "dtype": np.float32,
}
CHAR_OPTIONS: dict[str, Any] = {
    "sublinear_tf": True,
    "analyzer": "char_wb",
    "ngram_range": (2, 5),
    "preprocessor": blind_groups,
    "dtype": np.float32,
}
# The embedding's weight beside the TF-IDF features (both are unit-length vectors).
EMBEDDING_WEIGHT = 0.5
# What the n-grams cannot see, as they read the text lower-cased and split into words: how much
# of it is in capitals, exclamation marks, its length, and words masked with asterisks ("f**k").
TONE = ("capitals", "mostly capitals", "exclamation marks", "length", "masked words")
_MASKED = re.compile(r"\w\*+\w|\*{2,}")
# A comment of more letters than this, most of them capitals, is shouting.
SHOUTING_LETTERS = 10


def tone(texts: Sequence[str]) -> NDArray[np.float32]:
    """One row of `TONE` per text, each about 0 to 1."""
    rows = []
    for text in texts:
        share, count = letters.capitals(text)
        rows.append(
            (
                share,
                float(share > 0.6 and count > SHOUTING_LETTERS),
                math.log1p(text.count("!")) / 2,
                math.log1p(len(text)) / 8,
                math.log1p(len(_MASKED.findall(text))),
            )
        )
    return np.array(rows, dtype=np.float32).reshape(len(texts), len(TONE))


# How the explanation names a tone measure that raised a score (length is not a reason a
# moderator acts on, so it is never named), and by how much it must have raised the score's
# log-odds to be named.
TONE_REASONS = {
    "capitals": "capitals",
    "mostly capitals": "shouting",
    "exclamation marks": "exclamation marks",
    "masked words": "masked words",
}
TONE_REASON_LEAST = 0.5


LABELS = {
    "toxicity": "toxic",
    "severe_toxicity": "severely toxic",
    "obscenity": "obscene",
    "threat": "a threat",
    "insult": "an insult",
    "identity_attack": "an attack on a group",
}


class ToxicityModel:
    """Vectorizers plus one head per attribute."""

    def __init__(
        self,
        words: TfidfVectorizer,
        chars: TfidfVectorizer,
        heads: dict[str, LogisticRegression],
        metadata: dict[str, Any] | None = None,
        *,
        reads_tone: bool = False,
    ) -> None:
        self.words = words
        self.chars = chars
        self.heads = heads
        self.reads_tone = reads_tone  # whether the features end with `tone`
        self.metadata = metadata or {}
        self._word_names = words.get_feature_names_out()
        # The heads side by side, for `predict`'s one product.
        self._weights = stored.head_weights(list(heads.values()))
        self._intercepts = np.array([head.intercept_[0] for head in heads.values()])

    def features(self, texts: Sequence[str], embeddings: NDArray[np.float32]) -> stored.FeatureRows:
        dense = embeddings * EMBEDDING_WEIGHT
        if self.reads_tone:
            dense = np.hstack([dense, tone(texts)])
        return stored.FeatureRows((self.words.transform(texts), self.chars.transform(texts)), dense)

    def predict(self, features: stored.FeatureRows) -> dict[str, NDArray[np.float64]]:
        values = stored.probabilities(features, self._weights, self._intercepts)
        return {name: values[:, column] for column, name in enumerate(self.heads)}

    def top_words(
        self, features: stored.FeatureRows, row: int, attribute: str, count: int = 3
    ) -> list[str]:
        """The words (or word pairs) that raised this row's `attribute` score the most."""
        return stored.raising_words(
            features,
            row,
            self.heads[attribute].coef_[0],
            self._word_names,
            count=count,
            shown=lambda word: GROUP not in word,
        )

    def raising_tone(self, features: stored.FeatureRows, row: int, attribute: str) -> list[str]:
        """The tone measures that raised this row's `attribute` score by `TONE_REASON_LEAST`
        or more (log-odds), as the explanation names them, strongest first."""
        if not self.reads_tone:
            return []
        values = features.dense[row, -len(TONE) :]
        raised = values * self.heads[attribute].coef_[0, -len(TONE) :]
        return [
            TONE_REASONS[TONE[column]]
            for column in np.argsort(-raised, kind="stable")
            if raised[column] >= TONE_REASON_LEAST and TONE[column] in TONE_REASONS
        ]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, Any] = {
            **stored.vectorizer_arrays("word", self.words),
            **stored.vectorizer_arrays("char", self.chars),
            "attributes": np.array(list(self.heads), dtype=str),
            "coefficients": np.vstack([head.coef_[0] for head in self.heads.values()]).astype(
                np.float32
            ),
            "intercepts": np.array(
                [head.intercept_[0] for head in self.heads.values()], dtype=np.float64
            ),
            "metadata": np.array(json.dumps(self.metadata)),
            "reads_tone": np.array(self.reads_tone),
        }
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> ToxicityModel:
        with np.load(path, allow_pickle=False) as arrays:
            words = stored.vectorizer(WORD_OPTIONS, arrays, "word")
            chars = stored.vectorizer(CHAR_OPTIONS, arrays, "char")
            heads = {
                str(attribute): stored.head(coefficients, intercept)
                for attribute, coefficients, intercept in zip(
                    arrays["attributes"], arrays["coefficients"], arrays["intercepts"], strict=True
                )
            }
            metadata = json.loads(str(arrays["metadata"]))
            # Files written before the tone measures existed have no such entry.
            reads_tone = "reads_tone" in arrays.files and bool(arrays["reads_tone"])
        return cls(words, chars, heads, metadata, reads_tone=reads_tone)


class ToxicityScorer(ShippedScorer[ToxicityModel]):
    """The built-in toxicity scorer: six scores per comment, each with its reason."""

    name = "toxicity"
    weights = "toxicity"

    def read_weights(self, path: Path) -> ToxicityModel:
        return _shared_model(path)

    def score_batch(
        self, texts: Sequence[str], contexts: Sequence[ScoringContext]
    ) -> list[list[Score]]:
        self.load()
        assert self.model is not None and self.embedder is not None
        vectors = self.embedder.embed(embedding_input(texts, self.kind))
        features = self.model.features(texts, vectors)
        predicted = self.model.predict(features)
        results = []
        for row in range(len(texts)):
            scores = []
            for attribute in ATTRIBUTES:
                value = float(np.clip(predicted[attribute][row], 0.0, 1.0))
                scores.append(
                    Score(attribute, value, self._explain(features, row, attribute, value))
                )
            results.append(scores)
        return results

    def _explain(self, features: stored.FeatureRows, row: int, attribute: str, value: float) -> str:
        assert self.model is not None
        label = LABELS[attribute]
        if value < 0.5:
            return f"Not likely {label} ({value:.0%})."
        words = self.model.top_words(features, row, attribute)
        reasons = [repr(word) for word in words]
        reasons += [f"its {reason}" for reason in self.model.raising_tone(features, row, attribute)]
        because = f", mostly for {', '.join(reasons)}" if reasons else ""
        return f"Likely {label} ({value:.0%}){because}."


@process_wide
def _shared_model(path: Path) -> ToxicityModel:
    """One copy per process, however many apps or scorers use it."""
    return ToxicityModel.load(path)
