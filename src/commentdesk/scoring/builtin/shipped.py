"""What every built-in scorer with shipped weights shares: which embedding it reads, where its
weights are for that embedding, and loading both once (the model through a `process_wide`
loader, so every scorer and app in the process shares one copy)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Generic, TypeVar

from commentdesk.scoring import embedding
from commentdesk.scoring.protocol import Score, ScoringContext

Model = TypeVar("Model")
# The worker thread the built-in scorers share (`scoring.worker.groups`): their work is mostly
# Python under the interpreter lock, so one thread scoring each batch with the four in turn
# does the same work without threads taking turns.
THREAD_GROUP = "builtin"


class ShippedScorer(Generic[Model]):
    """Subclasses set `name` and `weights` (the file's name in the models folder) and write
    `read_weights` (through their `process_wide` loader) and `score_batch`."""

    name: str
    weights: str
    thread_group = THREAD_GROUP

    def __init__(
        self,
        path: Path | None = None,
        *,
        kind: embedding.EmbeddingKind = embedding.EmbeddingKind.TRANSFORMER,
    ) -> None:
        self.kind = kind
        self.path = path or embedding.model_path(self.weights, kind)
        self.model: Model | None = None
        self.embedder: embedding.TextEmbedder | None = None

    def load(self) -> None:
        if self.model is None:
            self.model = self.read_weights(self.path)
            self.embedder = embedding.shared(self.kind)

    def read_weights(self, path: Path) -> Model:
        raise NotImplementedError

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        return self.score_batch([text], [context])[0]

    def score_batch(
        self, texts: Sequence[str], contexts: Sequence[ScoringContext]
    ) -> list[list[Score]]:
        raise NotImplementedError
