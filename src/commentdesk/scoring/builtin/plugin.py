"""The built-in scorers, registered through the same `register_scorers` hook as any plugin."""

from __future__ import annotations

from commentdesk.plugins.hookspecs import hookimpl
from commentdesk.scoring.builtin.constructiveness import ConstructivenessScorer
from commentdesk.scoring.builtin.relevance import RelevanceScorer
from commentdesk.scoring.builtin.spam import SpamScorer
from commentdesk.scoring.builtin.toxicity import ToxicityScorer
from commentdesk.scoring.embedding import EmbeddingKind
from commentdesk.scoring.protocol import Scorer


class BuiltinScorers:
    def __init__(self, kind: EmbeddingKind = EmbeddingKind.STATIC) -> None:
        self.kind = kind  # which embedding, and so which trained models, the scorers read

    @hookimpl
    def register_scorers(self) -> list[Scorer]:
        return [
            ToxicityScorer(kind=self.kind),
            RelevanceScorer(kind=self.kind),
            ConstructivenessScorer(kind=self.kind),
            SpamScorer(kind=self.kind),
        ]
