"""Word lists: banned and suspect words and phrases, matched whole-word, case- and
accent-insensitively, with `*` wildcards. Pure. Matching is a set look-up per token for words,
word prefixes ("idiot*") and suffixes ("*hole"), and per run of tokens for phrases, so it stays
fast on lists of thousands; only other wildcard shapes ("f*ck", "*scam*") use a regular
expression."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

# Apostrophes inside a word (straight or typographic, U+2019) keep it one token.
_TOKEN = re.compile(r"\w+(?:['\u2019]\w+)*")
_ANY_LETTERS = r"\w*"


def fold(text: str) -> str:
    """Lower-case, accent-free form of `text`: "Crème" and "CREME" both become "creme"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


@dataclass(frozen=True)
class WordList:
    """A compiled word list. Entries are words, phrases ("go back to") or wildcard patterns
    ("idiot*", "*hole", "f*ck"); `find` returns the entries a text contains, as written."""

    words: dict[str, str] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)
    suffixes: dict[str, str] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    others: tuple[tuple[re.Pattern[str], str], ...] = ()
    longest_phrase: int = 1

    @classmethod
    def compile(cls, entries: Iterable[str]) -> WordList:
        words: dict[str, str] = {}
        prefixes: dict[str, str] = {}
        suffixes: dict[str, str] = {}
        phrases: dict[tuple[str, ...], str] = {}
        others: list[tuple[re.Pattern[str], str]] = []
        for raw in entries:
            entry = raw.strip()
            folded = fold(entry)
            if not entry or not folded.strip("* "):
                continue
            stem = folded.strip("*")
            if "*" not in folded:
                parts = tuple(tokens(entry))
                if len(parts) == 1:
                    words.setdefault(parts[0], entry)
                elif parts:
                    phrases.setdefault(parts, entry)
            elif folded == stem + "*" and _TOKEN.fullmatch(stem):
                prefixes.setdefault(stem, entry)
            elif folded == "*" + stem and _TOKEN.fullmatch(stem):
                suffixes.setdefault(stem, entry)
            else:
                body = _ANY_LETTERS.join(re.escape(piece) for piece in folded.split("*"))
                others.append((re.compile(body), entry))
        return cls(
            words=words,
            prefixes=prefixes,
            suffixes=suffixes,
            phrases=phrases,
            others=tuple(others),
            longest_phrase=max((len(phrase) for phrase in phrases), default=1),
        )

    def find(self, text: str) -> list[str]:
        """The list's entries found in `text`, each once, in order of first appearance."""
        found: dict[str, None] = {}
        text_tokens = tokens(text)
        for index, token in enumerate(text_tokens):
            for entry in self._token_matches(token):
                found.setdefault(entry, None)
            for length in range(2, self.longest_phrase + 1):
                phrase = tuple(text_tokens[index : index + length])
                if len(phrase) == length and phrase in self.phrases:
                    found.setdefault(self.phrases[phrase], None)
        return list(found)

    def _token_matches(self, token: str) -> Iterable[str]:
        if token in self.words:
            yield self.words[token]
        if self.prefixes:
            for end in range(1, len(token) + 1):
                if token[:end] in self.prefixes:
                    yield self.prefixes[token[:end]]
        if self.suffixes:
            for start in range(len(token)):
                if token[start:] in self.suffixes:
                    yield self.suffixes[token[start:]]
        for pattern, entry in self.others:
            if pattern.fullmatch(token):
                yield entry

    def __bool__(self) -> bool:
        return bool(self.words or self.prefixes or self.suffixes or self.phrases or self.others)
