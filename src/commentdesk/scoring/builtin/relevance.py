"""The relevance scorer ("does this comment belong under this story?"): the comment's sentence
embedding against its story's, relative to the site's other live stories, and for a reply
against its parent too, with the words they share added. Seven calibration constants per kind
of embedding, fitted on the written development set, and a table of word weights from the
shared comments (`commentdesk train relevance`, scoring/relevance_training.py).

A story is embedded as its title and its first sentences, each on its own; a comment's
similarity to it is the mean of its cosine to their average (the gist) and to the closest one
(the detail the comment reacts to), plus `lexical_weight` times the cosine of their words'
TF-IDF vectors (a comment that names the story's people and places shares its rare words). Story
embeddings and word vectors are cached by a hash of their text.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix, vstack
from sklearn.feature_extraction.text import TfidfVectorizer

from commentdesk.scoring import embedding
from commentdesk.scoring.builtin import stored
from commentdesk.scoring.protocol import Score, ScoringContext
from commentdesk.scoring.shared import process_wide

# The title plus this many sentences from the story's start: the opening says what a news story
# is about, and each piece costs one embedding the first time the story is seen.
STORY_SENTENCES = 11
CACHE_SIZE = 256
# A site with hundreds of live stories would make the first comment after a restart embed all
# of them; the first ones given (the web layer lists the newest first) are enough to compare.
MAX_OTHER_STORIES = 50
# The word weights: single words, IDF from the shared data's comments (kind-independent).
WORDS_PATH = Path(__file__).parent / "models" / "relevance_words.npz"
WORD_OPTIONS: dict[str, Any] = {
    "sublinear_tf": True,
    "strip_accents": "unicode",
    "dtype": np.float32,
}
WORD_MIN_DF = 2
WORD_FEATURES = 60_000
# A story's words are read from this much of its text at most: the opening says what it is
# about, and a very long text would cost its first comment.
STORY_WORD_CHARACTERS = 20_000


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
    embedding.EmbeddingKind.TRANSFORMER: Calibration(15.9, 1.57, 14.7, -3.83, 18.4, -3.85, 0.75),
    embedding.EmbeddingKind.STATIC: Calibration(13.5, 1.43, 11.7, -3.4, 11.7, -2.05, 1.0),
}


def fit_words(texts: Sequence[str]) -> TfidfVectorizer:
    """The word weights, fitted on a corpus of comments (`train relevance`)."""
    vectorizer = TfidfVectorizer(min_df=WORD_MIN_DF, max_features=WORD_FEATURES, **WORD_OPTIONS)
    return vectorizer.fit(texts)


def save_words(vectorizer: TfidfVectorizer, path: Path = WORDS_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, Any] = stored.vectorizer_arrays("word", vectorizer)
    np.savez_compressed(path, **arrays)


@process_wide
def load_words(path: Path = WORDS_PATH) -> stored.QuickTfidfVectorizer:
    """One copy per process."""
    with np.load(path, allow_pickle=False) as arrays:
        return stored.vectorizer(WORD_OPTIONS, arrays, "word")


def story_words_text(title: str, text: str) -> str:
    """What a story's word vector is made from: its title and the opening of its text."""
    return f"{title}\n{text[:STORY_WORD_CHARACTERS]}"


def row_cosines(left: csr_matrix, right: csr_matrix) -> NDArray[np.float64]:
    """Row i of `left` against row i of `right` (unit rows: their cosine)."""
    return np.asarray(left.multiply(right).sum(axis=1), dtype=np.float64).ravel()


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


@dataclass(frozen=True)
class StoryVectors:
    """A story as the scorer compares with it: its pieces' unit embeddings (one row each) and
    its words' unit TF-IDF row."""

    pieces: NDArray[np.float32]
    words: csr_matrix


class StoryEmbeddings:
    """Stories' vectors, kept for the `size` most recently used stories (a story is scored
    against thousands of comments, and as the other story of thousands more)."""

    def __init__(self, *, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._stored: OrderedDict[str, StoryVectors] = OrderedDict()
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
        self,
        stories: Sequence[tuple[str, str]],
        embedder: embedding.TextEmbedder,
        words: TfidfVectorizer,
    ) -> dict[str, StoryVectors]:
        """Each story's vectors by key; the missing ones embedded in one call."""
        wanted = {self.key(title, text): (title, text) for title, text in stories}
        with self._lock:
            found = {key: self._stored[key] for key in wanted if key in self._stored}
            for key in found:
                self._stored.move_to_end(key)
        missing = {key: story_pieces(*wanted[key]) for key in wanted if key not in found}
        if missing:
            vectors = embedder.embed([piece for pieces in missing.values() for piece in pieces])
            rows = words.transform([story_words_text(*wanted[key]) for key in missing])
            start = 0
            for number, (key, pieces) in enumerate(missing.items()):
                found[key] = StoryVectors(
                    vectors[start : start + len(pieces)], rows[number : number + 1]
                )
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
        words_path: Path = WORDS_PATH,
    ) -> None:
        self.kind = kind
        self.calibration = CALIBRATIONS[kind]
        self.stories = StoryEmbeddings(size=cache_size)
        self.words_path = words_path
        self.embedder: embedding.TextEmbedder | None = None
        self.words: TfidfVectorizer | None = None

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
        comparisons = compare(
            texts, contexts, self.embedder, self.words, self.stories, self.calibration
        )
        return [
            [
                Score("relevance", 0.5, "No story text to compare with.")
                if comparison is None
                else judge(comparison, self.calibration)
            ]
            for comparison in comparisons
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
    words: TfidfVectorizer,
    stories: StoryEmbeddings,
) -> list[Similarities | None]:
    """Each comment's similarities to its story, the other live stories and its parent (None
    where its story has no text): one embedding call and one word product for the batch."""
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
    others = [_others(context) for context in contexts]
    found = stories.get_many(
        [story for story in own if story_pieces(*story)]
        + [story for group in others for story in group],
        embedder,
        words,
    )
    keys = list(found)
    column = {key: index for index, key in enumerate(keys)}
    shared = (
        np.asarray((comment_words @ vstack([found[key].words for key in keys]).T).todense())
        if keys
        else np.zeros((len(texts), 0))
    )

    def pair(row: int, title: str, text: str) -> tuple[float, float]:
        key = StoryEmbeddings.key(title, text)
        return (
            float(similarity(comments[row : row + 1], found[key].pieces)[0]),
            float(shared[row, column[key]]),
        )

    results: list[Similarities | None] = []
    for row in range(len(texts)):
        if not story_pieces(*own[row]):
            results.append(None)
            continue
        results.append(
            Similarities(
                to_story=pair(row, *own[row]),
                to_others=tuple((title, pair(row, title, text)) for title, text in others[row]),
                to_parent=to_parent.get(row),
                evidence=evidence(texts[row]),
            )
        )
    return results


def compare(
    texts: Sequence[str],
    contexts: Sequence[ScoringContext],
    embedder: embedding.TextEmbedder,
    words: TfidfVectorizer,
    stories: StoryEmbeddings,
    calibration: Calibration | None = None,
) -> list[Comparison | None]:
    """What each comment's relevance is decided from (None: no story text)."""
    weight = (calibration or CALIBRATIONS[embedding.EmbeddingKind.TRANSFORMER]).lexical_weight
    return [
        None if found is None else found.comparison(weight)
        for found in similarities(texts, contexts, embedder, words, stories)
    ]


def _others(context: ScoringContext) -> list[tuple[str, str]]:
    """The other live stories worth comparing with: not empty, not this story again."""
    own = StoryEmbeddings.key(context.story_title, context.story_text)
    return [
        (title, text)
        for title, text in context.other_stories
        if story_pieces(title, text) and StoryEmbeddings.key(title, text) != own
    ][:MAX_OTHER_STORIES]
