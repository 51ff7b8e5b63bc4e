"""The relevance scorer ("does this comment belong under this story?"): the comment's sentence
embedding against its story's, relative to the site's other live stories, and for a reply
against its parent too, with the words they share added. Seven calibration constants per kind
of embedding, fitted on the written development set, and a table of word weights from the
shared comments (`commentdesk train relevance`, scoring/relevance_training.py).

A story is embedded as its title and its first sentences, each on its own; a comment's
similarity to it is the mean of its cosine to their average (the gist) and to the closest one
(the detail the comment reacts to), plus `lexical_weight` times the cosine of their words'
TF-IDF rows, single words and the pieces of words (a comment that names the story's people and
places shares its rare words). Story embeddings and word rows are cached per story.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from commentdesk.scoring import embedding
from commentdesk.scoring.builtin.relevance_vectors import (
    CACHE_SIZE,
    WORDS_PATH,
    StoryEmbeddings,
    WordTable,
    load_words,
    row_cosines,
    similarity,
)
from commentdesk.scoring.builtin.shipped import THREAD_GROUP
from commentdesk.scoring.protocol import Score, ScoringContext

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
    - parent: a reply's cosine to the comment it answers.
    Each similarity is the embeddings' plus `lexical_weight` times the words' (0: words
    unused), the weight chosen with the constants."""

    relative_slope: float
    relative_offset: float
    absolute_slope: float
    absolute_offset: float
    parent_slope: float
    parent_offset: float
    lexical_weight: float = 0.0


# One per kind of embedding: cosines are on different scales.
CALIBRATIONS = {
    embedding.EmbeddingKind.TRANSFORMER: Calibration(15.4, 1.56, 14.1, -3.96, 17.5, -3.85, 1.0),
    embedding.EmbeddingKind.STATIC: Calibration(10.5, 1.32, 9.8, -3.46, 10.0, -2.09, 2.0),
}


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


class RelevanceScorer:
    """The built-in relevance scorer: one score, `relevance`, high when the comment is on
    topic for its story (or answers its parent), relative to the site's other live stories."""

    name = "relevance"
    thread_group = THREAD_GROUP

    def __init__(
        self,
        *,
        cache_size: int = CACHE_SIZE,
        kind: embedding.EmbeddingKind = embedding.EmbeddingKind.TRANSFORMER,
        words_path: Path = WORDS_PATH,
    ) -> None:
        self.kind = kind
        self.calibration = CALIBRATIONS[kind]
        self.stories = StoryEmbeddings(size=cache_size)
        self.words_path = words_path
        self.embedder: embedding.TextEmbedder | None = None
        self.words: WordTable | None = None

    def load(self) -> None:
        if self.embedder is None:
            self.embedder = embedding.shared(self.kind)
        if self.words is None:
            self.words = load_words(self.words_path)

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        return self.score_batch([text], [context])[0]

    def score_batch(
        self, texts: Sequence[str], contexts: Sequence[ScoringContext]
    ) -> list[list[Score]]:
        self.load()
        assert self.embedder is not None and self.words is not None
        found = similarities(texts, contexts, self.embedder, self.words, self.stories)
        return [
            [
                Score("relevance", 0.5, "No story text to compare with.")
                if comment is None
                else judge(comment.comparison(self.calibration.lexical_weight), self.calibration)
            ]
            for comment in found
        ]


@dataclass(frozen=True)
class Similarities:
    """One comment's similarities, embeddings' and words' apart, so a calibration can weigh
    the words (`Calibration.lexical_weight`) without the texts being read again."""

    to_story: tuple[float, float]
    # Each other live story's (title, (embedding, words) similarity).
    to_others: tuple[tuple[str, tuple[float, float]], ...]
    to_parent: tuple[float, float] | None
    evidence: float

    def comparison(self, lexical_weight: float) -> Comparison:
        def blend(pair: tuple[float, float]) -> float:
            return pair[0] + lexical_weight * pair[1]

        compared = [(title, blend(pair)) for title, pair in self.to_others]
        return Comparison(
            to_story=blend(self.to_story),
            best_other=max(compared, key=lambda item: item[1]) if compared else None,
            to_parent=None if self.to_parent is None else blend(self.to_parent),
            evidence=self.evidence,
        )


def similarities(
    texts: Sequence[str],
    contexts: Sequence[ScoringContext],
    embedder: embedding.TextEmbedder,
    words: WordTable,
    stories: StoryEmbeddings,
) -> list[Similarities | None]:
    """Each comment's similarities to its story, the other live stories and its parent (None
    where its story has no text): one embedding call and one word product for the batch."""
    if not texts:
        return []
    comments = embedder.embed(texts)
    comment_words = words.transform(texts)
    parents = [context.parent_text or "" for context in contexts]
    replies = [row for row, parent in enumerate(parents) if parent]
    to_parent: dict[int, tuple[float, float]] = {}
    if replies:
        parent_vectors = embedder.embed([parents[row] for row in replies])
        parent_words = row_cosines(
            words.transform([parents[row] for row in replies]), comment_words[replies]
        )
        to_parent = {
            row: (float(parent_vectors[number] @ comments[row]), float(parent_words[number]))
            for number, row in enumerate(replies)
        }
    own = [(context.story_title, context.story_text) for context in contexts]
    found = stories.get_many(
        own + [story for context in contexts for story in context.other_stories],
        embedder,
        words,
    )
    column = {story: index for index, story in enumerate(found)}
    shared = (comment_words @ stories.word_columns(list(found.values()))).toarray()

    def pair(row: int, story: tuple[str, str]) -> tuple[float, float]:
        return (
            float(similarity(comments[row : row + 1], found[story].pieces)[0]),
            float(shared[row, column[story]]),
        )

    results: list[Similarities | None] = []
    for row, context in enumerate(contexts):
        if not found[own[row]].has_text:
            results.append(None)
            continue
        # The other live stories worth comparing with: with text, and not this story again.
        others = [
            story for story in context.other_stories if found[story].has_text and story != own[row]
        ][:MAX_OTHER_STORIES]
        results.append(
            Similarities(
                to_story=pair(row, own[row]),
                to_others=tuple((story[0], pair(row, story)) for story in others),
                to_parent=to_parent.get(row),
                evidence=evidence(texts[row]),
            )
        )
    return results
