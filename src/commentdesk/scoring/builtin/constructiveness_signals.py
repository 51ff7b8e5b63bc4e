"""The readable signals of a constructive comment, from its text and its story's words:
reasons, figures, sources, experience, questions, proposals, words shared with the story,
variety, repetition, length and shouting. Pure functions, no model; English markers only.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from commentdesk.scoring.builtin import letters

# Counts stop paying after a few: a fourth "because" says no more than the third, and a
# comment stuffed with markers should not outscore one that uses them once each.
COUNT_CAP = 3
# Length saturates at this many words: past it, a longer comment gains nothing for being long.
LENGTH_CAP_WORDS = 40
VARIETY_WINDOW = 20

# Curly quotes are written as escapes: `re` reads them, and the source stays plain ASCII.
_WORD = re.compile(r"[A-Za-z0-9]+(?:['\u2019.,][A-Za-z0-9]+)*")
_REASON = re.compile(
    r"\b(?:because|since|so that|therefore|which means|that means|means that|due to|"
    r"as a result|the reason|that's why|that is why|thus|hence|otherwise|unless|given that|"
    r"if .{3,60}? then)\b",
    re.IGNORECASE,
)
_FIGURE = re.compile(r"(?<![\w])[$€£]?\d[\d,.:]*(?:\s?(?:%|percent|per cent|million|billion|k\b))?")
_LINK = re.compile(r"https?://\S+|www\.\S+|\b[\w-]+\.(?:com|org|gov|net|edu|example)(?:/\S*)?")
_SOURCE_WORDS = re.compile(
    r"\b(?:according to|report|reports|study|studies|survey|audit|data|agenda|"
    r"page \d+|chapter \d+|appendix|table|website|portal|published|figures from|records show|"
    r"review|guidance|rule|notice|inventory|(?:meeting|board|council) minutes)\b",
    re.IGNORECASE,
)
_QUOTE = re.compile(
    r"[\"\u201c][^\"\u201d]{6,}[\"\u201d]|(?<!\w)['\u2018][^'\u2019]{6,}['\u2019](?!\w)"
)
# "I" or "we" followed by what they did or are ("I cross twice a day", "we moved here"), not by
# an opinion verb ("I think", "I hate"): an experience is something that happened.
_EXPERIENCE = re.compile(
    r"\b(?:I|we)(?:'ve|'d| have| had)?\s+(?!think\b|believe\b|guess\b|hope\b|wish\b|feel\b|"
    r"agree\b|disagree\b|mean\b|know\b|love\b|hate\b|want\b|like\b|am\b|'m\b|just\b|"
    r"really\b|don't\b|do\b|can't\b|cannot\b|will\b|would\b|say\b|said\b|must\b|need\b|"
    r"should\b|could\b)[a-z]+|\bmy [a-z]+\b|\bour [a-z]+\b|\bin my experience\b|"
    r"\bas an? [a-z]+\b",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"\?+")
SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_CONTENT_WORD = re.compile(r"[a-z]{4,}")
_PROPOSAL = re.compile(
    r"\b(?:should|could|why not|instead|proposal|propose|suggest|perhaps|how about|what if|"
    r"would help|needs? to|ought to|let's)\b",
    re.IGNORECASE,
)


_MARKERS = {
    "reasons": _REASON,
    "links": _LINK,
    "source_words": _SOURCE_WORDS,
    "quotes": _QUOTE,
    "experience": _EXPERIENCE,
    "questions": _QUESTION,
    "proposals": _PROPOSAL,
}


@dataclass(frozen=True)
class Signals:
    """Counts and shares read from one comment's text."""

    words: int
    reasons: int
    figures: int
    sources: int
    experience: int
    questions: int
    proposals: int
    story_words: int  # distinct uncommon words the comment shares with the story
    variety: float  # moving-average type-token ratio: 1.0 means no word comes back
    repetition: float  # share of word pairs that already appeared earlier in the comment
    shouting: float  # the larger of the share of capital letters and of exclamation marks

    def capped(self, count: int) -> float:
        """A count on a saturating scale from 0 to 1."""
        return math.log1p(min(count, COUNT_CAP)) / math.log1p(COUNT_CAP)

    @property
    def length(self) -> float:
        """Words on a log scale from 0 to 1, flat past `LENGTH_CAP_WORDS`."""
        return math.log1p(min(self.words, LENGTH_CAP_WORDS)) / math.log1p(LENGTH_CAP_WORDS)


def content_stems(text: str, is_rare: Callable[[str], bool]) -> frozenset[str]:
    """The text's uncommon words of four letters or more, cut to five letters so "voted" and
    "votes" meet: what a sentence and a story can share."""
    return frozenset(word[:5] for word in _CONTENT_WORD.findall(text.lower()) if is_rare(word))


def _every_word(word: str) -> bool:
    return True


def read(
    text: str,
    *,
    story_stems: frozenset[str] = frozenset(),
    is_rare: Callable[[str], bool] = _every_word,
) -> Signals:
    """The signals of one comment under a story (`story_stems`, from `content_stems`)."""
    words = [word.lower() for word in _WORD.findall(text)]
    capitals, count = letters.capitals(text)
    exclamations = min(text.count("!") / 5, 1.0)
    # A run of capitals in a short comment ("OK.") is not shouting.
    shouting = max(capitals if count >= 12 else 0.0, exclamations)
    counts = dict.fromkeys(_MARKERS, 0)
    figures = 0
    shared: set[str] = set()
    for sentence in SENTENCE.findall(text):
        sentence_figures = len(_FIGURE.findall(sentence))
        figures += sentence_figures
        overlap = content_stems(sentence, is_rare) & story_stems
        shared |= overlap
        # A reason, a source or a proposal counts only in a sentence tied to the story, by a
        # figure or a word the story uses: generic padding ("because it matters to all of us,
        # and we should all think about it") is full of markers and names nothing.
        if sentence_figures or overlap or not story_stems:
            for name, pattern in _MARKERS.items():
                counts[name] += len(pattern.findall(sentence))
    return Signals(
        words=len(words),
        reasons=counts["reasons"],
        figures=figures,
        sources=counts["links"] + counts["source_words"] + counts["quotes"],
        experience=counts["experience"],
        questions=counts["questions"] if capitals < 0.5 else 0,
        proposals=counts["proposals"],
        story_words=len(shared),
        variety=_moving_type_token_ratio(words),
        repetition=_repeated_pairs(words),
        shouting=shouting,
    )


def _moving_type_token_ratio(words: list[str]) -> float:
    # A plain type-token ratio falls with length alone; the moving average over a fixed
    # window does not, so it measures repetition rather than size.
    if not words:
        return 1.0
    if len(words) <= VARIETY_WINDOW:
        return len(set(words)) / len(words)
    ratios = [
        len(set(words[start : start + VARIETY_WINDOW])) / VARIETY_WINDOW
        for start in range(len(words) - VARIETY_WINDOW + 1)
    ]
    return sum(ratios) / len(ratios)


def _repeated_pairs(words: list[str]) -> float:
    pairs = list(itertools.pairwise(words))
    if not pairs:
        return 0.0
    seen: set[tuple[str, str]] = set()
    repeated = 0
    for pair in pairs:
        repeated += pair in seen
        seen.add(pair)
    return repeated / len(pairs)
