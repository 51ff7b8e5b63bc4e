"""Validated text types for input schemas: strict strings that are valid UTF-8, hold no NUL, and
fit their length limits after trimming."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, StringConstraints


def _clean(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        # JSON escapes can smuggle in lone surrogates, which no database will store.
        raise ValueError("must be valid UTF-8 text") from error
    return value


CommentBody = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=5000),
    AfterValidator(_clean),
]
DisplayName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80),
    AfterValidator(_clean),
]
ShortNote = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=500),
    AfterValidator(_clean),
]
Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=500),
    AfterValidator(_clean),
]
LongText = Annotated[
    str,
    StringConstraints(max_length=200_000),
    AfterValidator(_clean),
]
Password = Annotated[str, StringConstraints(min_length=8, max_length=256), AfterValidator(_clean)]
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    ),
    AfterValidator(_clean),
]
StoryUrl = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=8, max_length=2000),
    AfterValidator(_clean),
]
