"""What the relevance scorer compares: a story as its pieces' sentence embeddings and its words'
TF-IDF row, cached per story, and the word table (`models/relevance_words.npz`, fitted by
`commentdesk train relevance` on the shared data's comments)."""

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
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.feature_extraction.text import TfidfVectorizer

from commentdesk.scoring import embedding
from commentdesk.scoring.builtin import stored
from commentdesk.scoring.shared import process_wide

# The title plus this many sentences from the story's start: the opening says what a news story
# is about, and each piece costs one embedding the first time the story is seen.
STORY_SENTENCES = 11
CACHE_SIZE = 256
# Sets of stories whose stacked word columns are kept (a site's live stories, a few sites).
COLUMN_SETS = 16
# The word table: single words and the character pieces of words (3 and 4 letters, within
# words), with IDF from the shared data's comments (kind-independent). A comment and a story
# that share rare words are close; the pieces also count "flooded" and "floods" as kin, and a
# misspelt name. Both halves measured on the written development set and on the real YouTube
# threads (the model card): words alone 0.9172 and 0.8526 with the static embedding, words and
# pieces 0.9236 and 0.8589.
WORDS_PATH = Path(__file__).parent / "models" / "relevance_words.npz"
WORD_OPTIONS: dict[str, Any] = {
    "sublinear_tf": True,
    "strip_accents": "unicode",
    "dtype": np.float32,
}
PIECE_OPTIONS: dict[str, Any] = {
    **WORD_OPTIONS,
    "analyzer": "char_wb",
    "ngram_range": (3, 4),
}
WORD_MIN_DF = 2
WORD_FEATURES = 60_000
PIECE_FEATURES = 100_000
# A story's words are read from this much of its text at most: the opening says what it is
# about, and a very long text would cost its first comment.
STORY_WORD_CHARACTERS = 20_000
# A comment's pieces are read from its opening: pieces cost several times what words cost, and
# a long comment's would take most of its scoring time (the 95th-percentile latency) for a
# similarity its words already give.
COMMENT_PIECE_CHARACTERS = 1_000


class WordTable:
    """A text's words as one unit-length row: its words' TF-IDF row and its pieces', side by
    side, each scaled by 1/sqrt(2), so two rows' product is the mean of the two cosines."""

    def __init__(self, words: TfidfVectorizer, pieces: TfidfVectorizer) -> None:
        self.words = words
        self.pieces = pieces

    def transform(
        self, texts: Sequence[str], *, piece_characters: int | None = COMMENT_PIECE_CHARACTERS
    ) -> csr_matrix:
        """Each text's row; its pieces are read from its first `piece_characters` only (None:
        all of it, for a story's opening)."""
        cut = texts if piece_characters is None else [text[:piece_characters] for text in texts]
        both = hstack([self.words.transform(texts), self.pieces.transform(cut)], format="csr")
        scaled: csr_matrix = both * np.float32(1 / math.sqrt(2))
        return scaled

    def describe(self) -> str:
        return f"{len(self.words.vocabulary_)} words and {len(self.pieces.vocabulary_)} pieces"


def fit_words(texts: Sequence[str]) -> WordTable:
    """The word table, fitted on a corpus of comments (`train relevance`)."""
    return WordTable(
        TfidfVectorizer(min_df=WORD_MIN_DF, max_features=WORD_FEATURES, **WORD_OPTIONS).fit(texts),
        TfidfVectorizer(min_df=WORD_MIN_DF, max_features=PIECE_FEATURES, **PIECE_OPTIONS).fit(
            texts
        ),
    )


def save_words(table: WordTable, path: Path = WORDS_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, Any] = {
        **stored.vectorizer_arrays("word", table.words),
        **stored.vectorizer_arrays("piece", table.pieces),
    }
    np.savez_compressed(path, **arrays)


@process_wide
def load_words(path: Path = WORDS_PATH) -> WordTable:
    """One copy per process."""
    with np.load(path, allow_pickle=False) as arrays:
        return WordTable(
            stored.vectorizer(WORD_OPTIONS, arrays, "word"),
            stored.vectorizer(PIECE_OPTIONS, arrays, "piece"),
        )


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


@dataclass(frozen=True)
class StoryVectors:
    """A story as the scorer compares with it: its pieces' unit embeddings (one row each) and
    its words' unit TF-IDF row."""

    pieces: NDArray[np.float32]
    words: csr_matrix

    @property
    def has_text(self) -> bool:
        return len(self.pieces) > 0


class StoryEmbeddings:
    """Stories' vectors, kept for the `size` most recently used stories (a story is scored
    against thousands of comments, and as the other story of thousands more)."""

    def __init__(self, *, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._stored: OrderedDict[str, StoryVectors] = OrderedDict()
        # Stacked word columns per set of stories (see `word_columns`), keyed by the vectors'
        # ids; each entry holds its vectors, so no id is reused while the entry lives.
        self._columns: OrderedDict[tuple[int, ...], tuple[tuple[StoryVectors, ...], csr_matrix]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._stored)

    def __reduce__(self) -> tuple[type[StoryEmbeddings], tuple[()], dict[str, int]]:
        # A cache travels empty (to a scoring process): its lock cannot, its entries need not.
        return (StoryEmbeddings, (), {"size": self.size})

    def __setstate__(self, state: dict[str, int]) -> None:
        self.size = state["size"]

    def word_columns(self, stories: Sequence[StoryVectors]) -> csr_matrix:
        """The stories' word rows as columns (features x stories), for one product with a
        batch of comments' rows. Every comment on a site is compared with the same set of
        stories, so the last few sets are kept: stacking and transposing cost more than the
        product."""
        key = tuple(map(id, stories))
        with self._lock:
            kept = self._columns.get(key)
            if kept is not None:
                self._columns.move_to_end(key)
                return kept[1]
        columns = vstack([vectors.words for vectors in stories]).T.tocsr()
        with self._lock:
            self._columns[key] = (tuple(stories), columns)
            while len(self._columns) > COLUMN_SETS:
                self._columns.popitem(last=False)
        return columns

    @staticmethod
    def key(title: str, text: str) -> str:
        return hashlib.sha256(f"{title}\x00{text}".encode()).hexdigest()

    def get_many(
        self,
        stories: Sequence[tuple[str, str]],
        embedder: embedding.TextEmbedder,
        words: WordTable,
    ) -> dict[tuple[str, str], StoryVectors]:
        """Each (title, text) story's vectors, the missing ones embedded in one call. A story
        with neither title nor text has no pieces (`StoryVectors.has_text` is false)."""
        wanted = {story: self.key(*story) for story in dict.fromkeys(stories)}
        with self._lock:
            found = {
                story: self._stored[key] for story, key in wanted.items() if key in self._stored
            }
            for story in found:
                self._stored.move_to_end(wanted[story])
        missing = {story: story_pieces(*story) for story in wanted if story not in found}
        if missing:
            flat = [piece for pieces in missing.values() for piece in pieces]
            vectors = (
                embedder.embed(flat)
                if flat
                else np.zeros((0, embedder.dimensions), dtype=np.float32)
            )
            rows = words.transform(
                [story_words_text(*story) for story in missing], piece_characters=None
            )
            start = 0
            for number, (story, pieces) in enumerate(missing.items()):
                found[story] = StoryVectors(
                    vectors[start : start + len(pieces)], rows[number : number + 1]
                )
                start += len(pieces)
            with self._lock:
                for story in missing:
                    self._stored[wanted[story]] = found[story]
                while len(self._stored) > self.size:
                    self._stored.popitem(last=False)
        return found
