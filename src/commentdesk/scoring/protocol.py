"""What a scorer is: something that rates comments' texts, in context, with scores in [0, 1]
and a short explanation each. A scorer never touches the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


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
    story_id: int | None = None
    # The site's other live stories, (title, text) each, so a relevance score can be relative.
    other_stories: tuple[tuple[str, str], ...] = field(default=(), compare=False)


class Scorer(Protocol):
    """A scorer, as plugins register it through the `register_scorers` hook.

    A scorer may also set `thread_group` (a string): scorers naming the same one share a
    worker thread and score each batch in turn; any other scorer has a thread of its own
    (`scoring.worker.groups`)."""

    name: str

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        """Rate `text`; may raise, which the pipeline records as the scorer failing."""
        ...


@runtime_checkable
class BatchScorer(Protocol):
    """A scorer that rates many texts at once, faster than one at a time (a model's batch).
    The runner prefers `score_batch` when a scorer has it."""

    name: str

    def score_batch(
        self, texts: Sequence[str], contexts: Sequence[ScoringContext]
    ) -> list[list[Score]]:
        """One list of scores per text, in order."""
        ...


@runtime_checkable
class Loadable(Protocol):
    """A scorer with a model to load once per process; the runner calls `load` off the request
    path when the app starts, so the first comment does not wait for it."""

    def load(self) -> None: ...
