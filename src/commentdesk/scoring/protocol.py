"""What a scorer is: something that rates a comment's text, in context, with scores in [0, 1]
and a short explanation each. A scorer never touches the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Score:
    """One rating: `name` (toxicity, spam, ...), `value` in [0, 1], and why, in a few words."""

    name: str
    value: float
    explanation: str

    def __post_init__(self) -> None:
        if not 0.0 <= self.value <= 1.0:
            raise ValueError(f"score {self.name} is {self.value}, outside [0, 1]")


@dataclass(frozen=True)
class ScoringContext:
    """What a scorer may look at besides the comment itself."""

    site_id: int
    story_title: str
    story_text: str
    parent_text: str | None = None


class Scorer(Protocol):
    """A scorer, as plugins register it through the `register_scorers` hook."""

    name: str

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        """Rate `text`; may raise, which the pipeline records as the scorer failing."""
        ...
