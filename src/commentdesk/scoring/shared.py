"""`process_wide`: one model per process, however many threads ask for it at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

Parameters = ParamSpec("Parameters")
Loaded = TypeVar("Loaded")


def process_wide(load: Callable[Parameters, Loaded]) -> Callable[Parameters, Loaded]:
    """Like `functools.cache`, for model loaders, with one difference that matters: the scorers'
    worker threads all start together, and with a bare cache each would load its own copy
    (four ONNX sessions, measured: 790 MB resident instead of about 400). Here the first
    caller loads and the others wait for it."""
    found: dict[object, Loaded] = {}
    lock = threading.Lock()

    @wraps(load)
    def loaded(*args: Parameters.args, **kwargs: Parameters.kwargs) -> Loaded:
        key = (args, tuple(sorted(kwargs.items())))
        with lock:
            if key not in found:
                found[key] = load(*args, **kwargs)
            return found[key]

    return loaded
