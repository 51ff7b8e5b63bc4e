"""The built-in scorers, registered through the same `register_scorers` hook as any plugin."""

from __future__ import annotations

from commentdesk.plugins.hookspecs import hookimpl
from commentdesk.scoring.builtin.constructiveness import ConstructivenessScorer
from commentdesk.scoring.builtin.relevance import RelevanceScorer
from commentdesk.scoring.builtin.spam import SpamScorer
from commentdesk.scoring.builtin.toxicity import ToxicityScorer
from commentdesk.scoring.protocol import Scorer


class BuiltinScorers:
    @hookimpl
    def register_scorers(self) -> list[Scorer]:
        return [ToxicityScorer(), RelevanceScorer(), ConstructivenessScorer(), SpamScorer()]
