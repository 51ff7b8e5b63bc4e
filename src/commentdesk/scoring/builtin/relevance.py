"""The relevance scorer ("does this comment belong under this story?"): the comment's sentence
embedding against its story's, relative to the site's other live stories, and for a reply
against its parent too. No trained weights: six calibration constants, fitted on the written
development set (`commentdesk train relevance`, scoring/relevance_training.py).

A story is embedded as its title and its first sentences, each on its own; a comment's
similarity to it is the mean of its cosine to their average (the gist) and to the closest one
(the detail the comment reacts to). Story embeddings are cached by a hash of their text.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from commentdesk.scoring import embedding
from commentdesk.scoring.protocol import Score, ScoringContext

# The title plus this many sentences from the story's start: the opening says what a news story
# is about, and each piece costs one embedding the first time the story is seen.
STORY_SENTENCES = 11
CACHE_SIZE = 256
# A site with hundreds of live stories would make the first comment after a restart embed all
# of them; the first ones given (the web layer lists the newest first) are enough to compare.
MAX_OTHER_STORIES = 50


@dataclass(frozen=True)
class Calibration:
    """value = logistic(slope * x + offset), fitted by `commentdesk train relevance` on the
    development set (relevance_dev.py) by logistic regression with balanced classes, so 0.5
    means "as likely under this story as moved from another". x is:
    - relative: similarity to this story minus the best similarity to another live story;
    - absolute (no other stories given): the similarity to this story;
    - parent: a reply's cosine to the comment it answers."""

    relative_slope: float
    relative_offset: float
    absolute_slope: float
    absolute_offset: float
    parent_slope: float
    parent_offset: float


# One per kind of embedding: cosines are on different scales.
CALIBRATIONS = {
    embedding.EmbeddingKind.TRANSFORMER: Calibration(19.3, 1.76, 16.0, -3.63, 18.0, -3.42),
    embedding.EmbeddingKind.STATIC: Calibration(17.8, 1.62, 13.1, -3.27, 8.9, -1.34),
}

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def story_pieces(title: str, text: str) -> list[str]:
    """What a story's embedding is made of: its title and its first sentences."""
    sentences = [
        sentence.strip()
        for paragraph in text.split("\n")
        for sentence in _SENTENCE_END.split(paragraph)
        if sentence.strip()
    ]
    pieces = [title.strip()] if title.strip() else []
    return pieces + sentences[:STORY_SENTENCES]


def similarity(comments: NDArray[np.float32], story: NDArray[np.float32]) -> NDArray[np.float32]:
    """Each comment's similarity to a story given as its pieces' unit embeddings (one row
    each): the mean of the cosine to the pieces' average and to the closest piece."""
    average = story.mean(axis=0)
    average /= max(float(np.linalg.norm(average)), 1e-9)
    result: NDArray[np.float32] = ((comments @ average) + (comments @ story.T).max(axis=1)) / 2
    return result


def _logistic(value: float, *, slope: float, offset: float) -> float:
    return 1.0 / (1.0 + math.exp(-(slope * value + offset)))


@dataclass(frozen=True)
class Comparison:
    """What one comment's relevance is decided from."""

    to_story: float
    # The closest other live story: (its title, the similarity), or None when none was given.
    best_other: tuple[str, float] | None
    to_parent: float | None
    # How much the comment says, from 0 to 1 (see `evidence`): the score leans towards 0.5,
    # "cannot tell", as it falls.
    evidence: float = 1.0


# Words of three letters or more a comment needs before its score means all it says: a short
# reply ("A fair point.", "hello") is as far from every story and cannot be called off-topic.
FULL_EVIDENCE_WORDS = 8
_WORD = re.compile(r"[^\W\d_]{3,}")


def evidence(text: str) -> float:
    """How much a comment says, by its count of real words, from 0 (nothing) to 1."""
    return min(1.0, len(_WORD.findall(text)) / FULL_EVIDENCE_WORDS)


def judge(
    comparison: Comparison,
    calibration: Calibration = CALIBRATIONS[embedding.EmbeddingKind.TRANSFORMER],
) -> Score:
    """The relevance score and its reason. A reply that answers its parent is relevant even
    when it drifts from the story."""
    fit = calibration
    if comparison.best_other is None:
        from_story = _logistic(
            comparison.to_story, slope=fit.absolute_slope, offset=fit.absolute_offset
        )
    else:
        from_story = _logistic(
            comparison.to_story - comparison.best_other[1],
            slope=fit.relative_slope,
            offset=fit.relative_offset,
        )
    from_parent = (
        0.0
        if comparison.to_parent is None
        else _logistic(comparison.to_parent, slope=fit.parent_slope, offset=fit.parent_offset)
    )
    value = 0.5 + (max(from_story, from_parent) - 0.5) * comparison.evidence
    if value >= 0.5:
        reason = (
            "On topic: answers the comment it replies to."
            if from_parent > from_story
            else "On topic: close to this story."
        )
    elif comparison.best_other is not None and comparison.best_other[1] > comparison.to_story:
        reason = f"Closer to the story '{comparison.best_other[0]}' than to this one."
    elif comparison.to_parent is not None:
        reason = "Far from this story and its parent."
    else:
        reason = "Far from this story."
    return Score("relevance", value, reason)


class StoryEmbeddings:
    """Stories' piece embeddings, kept for the `size` most recently used stories (a story is
    scored against thousands of comments, and as the other story of thousands more)."""

    def __init__(self, *, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._stored: OrderedDict[str, NDArray[np.float32]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._stored)

    def __reduce__(self) -> tuple[type[StoryEmbeddings], tuple[()], dict[str, int]]:
        # A cache travels empty (to a scoring process): its lock cannot, its entries need not.
        return (StoryEmbeddings, (), {"size": self.size})

    def __setstate__(self, state: dict[str, int]) -> None:
        self.size = state["size"]

    @staticmethod
    def key(title: str, text: str) -> str:
        return hashlib.sha256(f"{title}\x00{text}".encode()).hexdigest()

    def get_many(
        self, stories: Sequence[tuple[str, str]], embedder: embedding.TextEmbedder
    ) -> dict[str, NDArray[np.float32]]:
        """Each story's pieces' embeddings by key; the missing ones embedded in one call."""
        wanted = {self.key(title, text): (title, text) for title, text in stories}
        with self._lock:
            found = {key: self._stored[key] for key in wanted if key in self._stored}
            for key in found:
                self._stored.move_to_end(key)
        missing = {key: story_pieces(*wanted[key]) for key in wanted if key not in found}
        if missing:
            vectors = embedder.embed([piece for pieces in missing.values() for piece in pieces])
            start = 0
            for key, pieces in missing.items():
                found[key] = vectors[start : start + len(pieces)]
                start += len(pieces)
            with self._lock:
                for key in missing:
                    self._stored[key] = found[key]
                while len(self._stored) > self.size:
                    self._stored.popitem(last=False)
        return found


class RelevanceScorer:
    """The built-in relevance scorer: one score, `relevance`, high when the comment is on
    topic for its story (or answers its parent), relative to the site's other live stories."""

    name = "relevance"

    def __init__(
        self,
        *,
        cache_size: int = CACHE_SIZE,
        kind: embedding.EmbeddingKind = embedding.EmbeddingKind.TRANSFORMER,
    ) -> None:
        self.kind = kind
        self.calibration = CALIBRATIONS[kind]
        self.stories = StoryEmbeddings(size=cache_size)
        self.embedder: embedding.TextEmbedder | None = None

    def load(self) -> None:
        if self.embedder is None:
            self.embedder = embedding.shared(self.kind)

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        return self.score_batch([text], [context])[0]

    def score_batch(
        self, texts: Sequence[str], contexts: Sequence[ScoringContext]
    ) -> list[list[Score]]:
        self.load()
        assert self.embedder is not None
        comments = self.embedder.embed(texts)
        parents = [context.parent_text for context in contexts if context.parent_text]
        parent_vectors = dict(zip(parents, self.embedder.embed(parents), strict=True))
        own = [(context.story_title, context.story_text) for context in contexts]
        others = [_others(context) for context in contexts]
        stories = self.stories.get_many(
            [story for story in own if story_pieces(*story)]
            + [story for group in others for story in group],
            self.embedder,
        )
        results = []
        for row, context in enumerate(contexts):
            if not story_pieces(*own[row]):
                results.append([Score("relevance", 0.5, "No story text to compare with.")])
                continue
            vector = comments[row : row + 1]
            to_story = float(similarity(vector, stories[StoryEmbeddings.key(*own[row])])[0])
            compared = [
                (title, float(similarity(vector, stories[StoryEmbeddings.key(title, text)])[0]))
                for title, text in others[row]
            ]
            parent = parent_vectors.get(context.parent_text or "")
            comparison = Comparison(
                to_story=to_story,
                best_other=max(compared, key=lambda pair: pair[1]) if compared else None,
                to_parent=None if parent is None else float(parent @ comments[row]),
                evidence=evidence(texts[row]),
            )
            results.append([judge(comparison, self.calibration)])
        return results


def _others(context: ScoringContext) -> list[tuple[str, str]]:
    """The other live stories worth comparing with: not empty, not this story again."""
    own = StoryEmbeddings.key(context.story_title, context.story_text)
    return [
        (title, text)
        for title, text in context.other_stories
        if story_pieces(title, text) and StoryEmbeddings.key(title, text) != own
    ][:MAX_OTHER_STORIES]
