"""A site's moderation settings: word lists, link policy, thresholds and modes. One pydantic
model, stored as JSON on the site and edited by API and dashboard."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Word = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Domain = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, max_length=253, pattern=r"^[a-z0-9.-]+\.[a-z]{2,}$"
    ),
]


class LinkPolicy(StrEnum):
    ALLOW = "allow"
    HOLD_ALL = "hold_all"
    HOLD_UNLISTED = "hold_unlisted"


class ScoreThreshold(BaseModel):
    """At or above `reject` a comment is rejected, at or above `hold` held for review."""

    model_config = ConfigDict(extra="forbid")

    hold: float | None = Field(default=None, ge=0.0, le=1.0)
    reject: float | None = Field(default=None, ge=0.0, le=1.0)

    def named(self) -> dict[str, float]:
        """The thresholds that are set, by name (`hold`, `reject`)."""
        chosen = {"hold": self.hold, "reject": self.reject}
        return {name: value for name, value in chosen.items() if value is not None}


class ModerationSettings(BaseModel):
    """Every knob of the moderation pipeline for one site; defaults suit a new news site."""

    model_config = ConfigDict(extra="forbid")

    banned_words: list[Word] = Field(
        default_factory=list,
        max_length=20_000,
        description="Words, phrases or wildcard patterns (idiot*) that get a comment rejected.",
    )
    suspect_words: list[Word] = Field(
        default_factory=list,
        max_length=20_000,
        description="Words, phrases or patterns that hold a comment for a moderator.",
    )
    link_policy: LinkPolicy = Field(
        default=LinkPolicy.ALLOW,
        description="allow links, hold every comment with a link, or hold links to domains "
        "not on allowed_link_domains.",
    )
    allowed_link_domains: list[Domain] = Field(
        default_factory=list,
        max_length=5_000,
        description="Domains (and their subdomains) whose links never hold a comment.",
    )
    max_length: int = Field(
        default=5000, ge=1, le=5000, description="Longest comment body, in characters."
    )
    new_commenter_threshold: int = Field(
        default=0,
        ge=0,
        le=1000,
        description="Approved comments an account needs before its comments publish without "
        "review (0: no pre-moderation of new commenters).",
    )
    rate_limit_count: int = Field(
        default=5, ge=1, le=1000, description="Comments one account may post per window."
    )
    rate_limit_window_seconds: int = Field(
        default=60, ge=1, le=86_400, description="The window rate_limit_count applies to."
    )
    repeat_window_seconds: int = Field(
        default=3600,
        ge=0,
        le=7 * 86_400,
        description="A body the same account posted within this window is refused as a repeat.",
    )
    report_withhold_threshold: float = Field(
        default=2.0,
        ge=0.1,
        le=100.0,
        description="When the weights of a comment's open reports add up to this, it is "
        "withheld until a moderator decides. A reporter weighs (upheld + 1) / (decided + 2): "
        "0.5 for a new reporter, near 1 for one whose reports are upheld, near 0 for one whose "
        "reports are dismissed.",
    )
    report_rate_limit_count: int = Field(
        default=10, ge=1, le=1000, description="Reports one account may make per window."
    )
    report_rate_limit_window_seconds: int = Field(
        default=3600, ge=1, le=86_400, description="The window report_rate_limit_count applies to."
    )
    score_thresholds: dict[
        Annotated[str, StringConstraints(min_length=1, max_length=40)], ScoreThreshold
    ] = Field(
        default_factory=dict,
        max_length=50,
        description="Per score name (toxicity, spam, ...): the values at which the scorers' "
        "verdict holds or rejects a comment. Scores without a threshold are only recorded.",
    )
    hold_when_scorers_fail: bool = Field(
        default=True,
        description="Hold a comment for review when a scorer fails, rather than publish it.",
    )
    repeat_similarity: float = Field(
        default=0.9,
        ge=0.5,
        le=1.0,
        description="How alike two bodies must be (0.5 to 1) to count as the same post.",
    )
