"""The spam model and scorer: one logistic-regression head over TF-IDF word and character
n-grams, the comment's sentence embedding, and the rule findings of `spam_rules`.

Trained by `commentdesk train spam` (scoring/spam_training.py) and shipped in
`models/spam.npz` as plain arrays, rebuilt into scikit-learn objects on load, so nothing is
unpickled. The explanation names the rules that fired, or else the words that weighed most.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer, strip_accents_unicode
from sklearn.linear_model import LogisticRegression

from commentdesk.scoring import embedding
from commentdesk.scoring.builtin import spam_rules, stored
from commentdesk.scoring.builtin.shipped import ShippedScorer
from commentdesk.scoring.protocol import Score, ScoringContext
from commentdesk.scoring.shared import process_wide

MODEL_PATH = embedding.model_path("spam", embedding.EmbeddingKind.TRANSFORMER)
_DIGITS = re.compile(r"\d")
# The placeholders `normalise` writes; an explanation names the rule instead.
_PLACEHOLDER = re.compile(r"weblink|linkending|emailaddress")


def normalise(text: str) -> str:
    """The vectorizers' preprocessing. Links (but for their ending) and e-mail addresses
    become placeholders and digits zero, so the words learn "a link" and "a long number", not
    the training data's particular sites and phone numbers; the rule features count sites."""
    plain = spam_rules.without_links(
        strip_accents_unicode(text.lower()), link=_link_words, email=" emailaddress "
    )
    return _DIGITS.sub("0", _COMMENT_WORDS.sub(" ", plain))


# "Comment" marks spam on YouTube ("like my comment", "check my comments") and is everyday
# vocabulary under a news story; left in, a bare "comment" scored 0.89. The n-grams never see
# it (the embedding still reads the whole text).
_COMMENT_WORDS = re.compile(r"\bcomment(?:s|ed|er|ers|ing)?\b")


def _link_words(link: str) -> str:
    # The site's ending stays (".gov", ".org", ".xyz"): readers citing sources and spammers
    # dropping links favour different ones, and an ending generalises where a name would not.
    ending = spam_rules.domain_of(link).rsplit(".", 1)[-1]
    return f" weblink linkending{ending} "


WORD_OPTIONS: dict[str, Any] = {
    "sublinear_tf": True,
    "ngram_range": (1, 2),
    "preprocessor": normalise,
    "dtype": np.float32,
}
CHAR_OPTIONS: dict[str, Any] = {
    "sublinear_tf": True,
    "analyzer": "char_wb",
    "ngram_range": (2, 5),
    "preprocessor": normalise,
    "dtype": np.float32,
}
# The weights of the embedding and the rule features beside the unit-length TF-IDF vectors.
EMBEDDING_WEIGHT = 0.5
RULE_WEIGHT = 3.0


class SpamModel:
    """Vectorizers plus one head."""

    def __init__(
        self,
        words: TfidfVectorizer,
        chars: TfidfVectorizer,
        head: LogisticRegression | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self.words = words
        self.chars = chars
        self.head = head
        self.metadata = metadata or {}
        self._word_names = words.get_feature_names_out()
        # The head's coefficients as `stored.probabilities` takes them, and which head.
        self._weights: NDArray[np.float64] | None = None
        self._weights_of: LogisticRegression | None = None

    def features(
        self,
        texts: Sequence[str],
        embeddings: NDArray[np.float32],
        found: Sequence[Sequence[spam_rules.Finding]] | None = None,
    ) -> stored.FeatureRows:
        dense = [
            embeddings * EMBEDDING_WEIGHT,
            spam_rules.rule_features(texts, found) * RULE_WEIGHT,
        ]
        return stored.FeatureRows(
            (self.words.transform(texts), self.chars.transform(texts)), np.hstack(dense)
        )

    def predict(self, features: stored.FeatureRows) -> NDArray[np.float64]:
        assert self.head is not None
        intercepts = self.head.intercept_
        if self._weights is None or self._weights_of is not self.head:
            self._weights = stored.head_weights([self.head])
            self._weights_of = self.head
        return stored.probabilities(features, self._weights, intercepts)[:, 0]

    def top_words(self, features: stored.FeatureRows, row: int, count: int = 3) -> list[str]:
        """The words (or word pairs) that raised this row's score the most."""
        assert self.head is not None
        return stored.raising_words(
            features,
            row,
            self.head.coef_[0],
            self._word_names,
            count=count,
            shown=lambda word: not _PLACEHOLDER.search(word),
        )

    def save(self, path: Path) -> None:
        assert self.head is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, Any] = {
            **stored.vectorizer_arrays("word", self.words),
            **stored.vectorizer_arrays("char", self.chars),
            "coefficients": self.head.coef_[0].astype(np.float32),
            "intercept": np.array(self.head.intercept_[0], dtype=np.float64),
            "metadata": np.array(json.dumps(self.metadata)),
        }
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> SpamModel:
        with np.load(path, allow_pickle=False) as arrays:
            words = stored.vectorizer(WORD_OPTIONS, arrays, "word")
            chars = stored.vectorizer(CHAR_OPTIONS, arrays, "char")
            head = stored.head(arrays["coefficients"], float(arrays["intercept"]))
            metadata = json.loads(str(arrays["metadata"]))
        return cls(words, chars, head, metadata)


def explain(value: float, findings: Sequence[spam_rules.Finding], words: Sequence[str]) -> str:
    """ "Likely spam (94%): links to 3 domains; 'subscribe', 'free'." or "Not likely spam (3%)."
    A low score still names the rules that fired, so a moderator sees what was discounted."""
    reasons = "; ".join(finding.reason for finding in findings)
    if value < 0.5:
        though = f", though: {reasons}" if reasons else ""
        return f"Not likely spam ({value:.0%}){though}."
    if not reasons and words:
        reasons = "mostly for " + ", ".join(repr(word) for word in words)
    because = f": {reasons}" if reasons else ""
    return f"Likely spam ({value:.0%}){because}."


class SpamScorer(ShippedScorer[SpamModel]):
    """The built-in spam scorer: one `spam` score per comment, with the rules that fired."""

    name = "spam"
    weights = "spam"

    def read_weights(self, path: Path) -> SpamModel:
        return _shared_model(path)

    def score_batch(
        self, texts: Sequence[str], contexts: Sequence[ScoringContext]
    ) -> list[list[Score]]:
        self.load()
        assert self.model is not None and self.embedder is not None
        found = [spam_rules.findings(text) for text in texts]  # the rules run once a text
        features = self.model.features(texts, self.embedder.embed(texts), found)
        predicted = self.model.predict(features)
        results = []
        for row in range(len(texts)):
            value = float(np.clip(predicted[row], 0.0, 1.0))
            words = self.model.top_words(features, row) if value >= 0.5 else []
            explanation = explain(value, found[row], words)
            results.append([Score("spam", value, explanation)])
        return results


@process_wide
def _shared_model(path: Path) -> SpamModel:
    """One copy per process, however many apps or scorers use it."""
    return SpamModel.load(path)
