"""The seeded workload both comment servers receive: one story, 300 comments of ~300 characters,
a third of them replies to top-level comments. Deterministic, so every run reads the same thread."""

from __future__ import annotations

import random
from dataclasses import dataclass

ORIGIN = "http://bench.example"
STORY_PATH = "/2026/11/city-council-passes-budget"
STORY_TITLE = "City council passes the budget after a nine-hour session"
POST_STORY_PATH = "/2026/11/bench-post-target"
POST_STORY_TITLE = "Story that receives the posting benchmark"
COMMENT_COUNT = 300
BODY_LENGTH = 300
ACCOUNT_NAMES = [
    "Ada Brook",
    "Ben Okafor",
    "Chloé Martin",
    "Dmitri Ivanov",
    "Esi Mensah",
    "Farah Haddad",
    "Gustavo Lima",
    "Hana Sato",
]

_VOCABULARY = (
    "council budget vote transit library parks housing rents school district bond measure "
    "taxes property levy police overtime audit pension shortfall reserve fund mayor committee "
    "amendment bus routes bike lanes potholes snow removal water main sewer rates clinic "
    "neighbourhood downtown zoning density parking meters ferry bridge repair stadium grants "
    "nonprofit shelter winter storm seniors youth sports pool hours firefighters ambulance "
    "response times dispatch software contract vendor overruns consultant report hearing "
    "testimony residents petition ward boundary election turnout ballot referendum"
)
_WORDS = _VOCABULARY.split()
_OPENERS = [
    "I think",
    "Honestly,",
    "As a resident of the east ward,",
    "Good reporting, but",
    "Does anyone know whether",
    "My family has lived here for decades and",
    "The article misses that",
    "Fair point about",
    "Numbers please:",
    "Agreed, although",
]


@dataclass(frozen=True)
class SeedComment:
    index: int
    parent_index: int | None
    account_index: int
    body: str


def comment_body(generator: random.Random, index: int) -> str:
    """About BODY_LENGTH characters of varied, sentence-like text, unique per index."""
    parts = [generator.choice(_OPENERS)]
    length = len(parts[0])
    while length < BODY_LENGTH - 40:
        sentence_words = generator.sample(_WORDS, generator.randint(6, 12))
        sentence = " ".join(sentence_words).capitalize() + generator.choice([".", "?", "!", "."])
        parts.append(sentence)
        length += len(sentence) + 1
    parts.append(f"(comment {index + 1})")
    return " ".join(parts)[: BODY_LENGTH + 60]


def build_comments(seed: int = 2026) -> list[SeedComment]:
    """COMMENT_COUNT comments in posting order; every third replies to an earlier top-level one."""
    generator = random.Random(seed)
    comments: list[SeedComment] = []
    top_level: list[int] = []
    for index in range(COMMENT_COUNT):
        parent_index = None
        if index % 3 == 2:
            parent_index = generator.choice(top_level[-20:])
        comments.append(
            SeedComment(
                index=index,
                parent_index=parent_index,
                account_index=generator.randrange(len(ACCOUNT_NAMES)),
                body=comment_body(generator, index),
            )
        )
        if parent_index is None:
            top_level.append(index)
    return comments


def post_body_template(prefix: str) -> str:
    """A ~300-character body for the posting run; {n} and {t} are filled in by the wrk driver."""
    filler = (
        "Posting benchmark comment number {n} from load thread {t}. The transit levy "
        "question deserves a proper hearing before the vote, and the audit numbers in "
        "this story should be compared with last year's reserve fund report. "
    )
    return f"{prefix} {filler}"[:BODY_LENGTH]
