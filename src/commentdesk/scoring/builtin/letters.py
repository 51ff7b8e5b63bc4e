"""Counts over a text's letters that several built-in scorers read: the toxicity model's tone,
the spam rules' shouting, and constructiveness's signals."""

from __future__ import annotations


def capitals(text: str) -> tuple[float, int]:
    """The share of capitals among `text`'s letters (0 without letters), and how many letters
    it has."""
    letters = list(filter(str.isalpha, text))
    return sum(map(str.isupper, letters)) / max(1, len(letters)), len(letters)
