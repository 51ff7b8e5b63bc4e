"""A site's moderation settings: word lists, link policy, thresholds and modes. One pydantic
model, stored as JSON on the site and edited by API and dashboard."""

from __future__ import annotations

from enum import StrEnum
from itertools import pairwise
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from commentdesk.scoring.site_head import HeadSetting

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
    """At or beyond `reject` a comment is rejected, at or beyond `hold` held for review, at or
    beyond `flag` published with a machine flag for moderators. "Beyond" is above, or below
    when `below` is set (for scores where high is good: relevance, constructiveness)."""

    model_config = ConfigDict(extra="forbid")

    hold: float | None = Field(default=None, ge=0.0, le=1.0)
    reject: float | None = Field(default=None, ge=0.0, le=1.0)
    flag: float | None = Field(default=None, ge=0.0, le=1.0)
    below: bool = False

    @model_validator(mode="after")
    def _in_order(self) -> ScoreThreshold:
        # Mildest first as the score worsens: flag, then hold, then reject.
        ladder = list(self.named().items())
        for (milder, low), (harsher, high) in pairwise(ladder):
            if (high > low) if self.below else (high < low):
                side, counted = ("at or below", "low") if self.below else ("at or above", "high")
                raise ValueError(
                    f"{harsher} ({high}) must be {side} {milder} ({low}): {counted} scores "
                    "count against a comment"
                )
        return self

    def named(self) -> dict[str, float]:
        """The thresholds that are set, by name, mildest first (`flag`, `hold`, `reject`)."""
        chosen = {"flag": self.flag, "hold": self.hold, "reject": self.reject}
        return {name: value for name, value in chosen.items() if value is not None}

    def reached(self, value: float) -> str | None:
        """The harshest threshold this score value reaches (`reject`, `hold`, `flag`), if any."""
        for name, limit in reversed(self.named().items()):
            if (value <= limit) if self.below else (value >= limit):
                return name
        return None


class Check(StrEnum):
    """What the pipeline checks, each citable by one policy clause."""

    RELEVANCE = "relevance"
    CONSTRUCTIVENESS = "constructiveness"
    TOXICITY = "toxicity"
    SEVERE_TOXICITY = "severe_toxicity"
    INSULT = "insult"
    THREAT = "threat"
    IDENTITY_ATTACK = "identity_attack"
    OBSCENITY = "obscenity"
    BANNED_WORDS = "banned_words"
    SUSPECT_WORDS = "suspect_words"
    SPAM = "spam"
    LINKS = "links"
    REPEATS = "repeats"
    RATE = "rate"


class PolicyClause(BaseModel):
    """One clause of a site's comment policy, in the site's own words, and the checks that
    enforce it: reasons from those checks cite it to moderators and authors."""

    model_config = ConfigDict(extra="forbid")

    key: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, to_lower=True, pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$"
        ),
    ]
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    checks: list[Check] = Field(default_factory=list, max_length=len(Check))


def news_site_clauses() -> list[PolicyClause]:
    """The clauses a new site starts with, worded like a news site's policy."""
    return [
        PolicyClause(
            key="on-topic",
            text="We welcome comments that advance the story through relevant opinion, "
            "anecdotes, links and data.",
            checks=[Check.RELEVANCE, Check.CONSTRUCTIVENESS],
        ),
        PolicyClause(
            key="civility",
            text="Be civil: no insults, threats, obscenity or attacks on people for who they are.",
            checks=[
                Check.TOXICITY,
                Check.SEVERE_TOXICITY,
                Check.INSULT,
                Check.THREAT,
                Check.IDENTITY_ATTACK,
                Check.OBSCENITY,
                Check.BANNED_WORDS,
                Check.SUSPECT_WORDS,
            ],
        ),
        PolicyClause(
            key="no-spam",
            text="No spam or self-promotion: no advertising, repeated posts or floods of links.",
            checks=[Check.SPAM, Check.LINKS, Check.REPEATS, Check.RATE],
        ),
    ]


def news_site_thresholds() -> dict[str, ScoreThreshold]:
    """Thresholds a new site starts with: only what the models are sure of holds a comment,
    and a comment far off its story is published with a flag. Spam holds at 0.95, not 0.9:
    civic comments with a phone number ("Call the council on 01234 567890") score about 0.93."""
    return {
        "toxicity": ScoreThreshold(hold=0.9),
        "severe_toxicity": ScoreThreshold(hold=0.8),
        "threat": ScoreThreshold(hold=0.8),
        "spam": ScoreThreshold(hold=0.95),
        "relevance": ScoreThreshold(flag=0.2, below=True),
    }


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
        default_factory=news_site_thresholds,
        max_length=50,
        description="Per score name (toxicity, spam, relevance, ...): the values at which a "
        "score flags, holds or rejects a comment; with below, low values count (relevance). "
        "Scores without a threshold are only recorded.",
    )
    hold_when_scorers_fail: bool = Field(
        default=True,
        description="Hold a comment for review when a scorer fails, rather than publish it.",
    )
    fetch_story_text: bool = Field(
        default=False,
        description="When a story has no text from the CMS or the page, fetch its page (on the "
        "site's own origins only, within COMMENTDESK_STORY_FETCH_* limits) and keep the "
        "article's text, for the assistant to judge whether comments are on topic.",
    )
    repeat_similarity: float = Field(
        default=0.9,
        ge=0.5,
        le=1.0,
        description="How alike two bodies must be (0.5 to 1) to count as the same post.",
    )
    assistant_head: HeadSetting = Field(
        default=None,
        description="The assistant's head for this site, fitted on its moderators' decisions by "
        "`commentdesk train --site` (coefficients per score, intercept, threshold, when, and its "
        "before/after agreement): at or above its threshold a comment is held. null: none.",
    )
    campaign_window_seconds: int = Field(
        default=86_400,
        ge=60,
        le=7 * 86_400,
        description="Near-identical comments by different accounts on one story, posted within "
        "this window, form a campaign on the desk's Campaigns page.",
    )
    campaign_min_accounts: int = Field(
        default=3,
        ge=2,
        le=100,
        description="How many different accounts must post near-identical comments on one "
        "story before they show as a campaign.",
    )
    campaign_similarity: float = Field(
        default=0.7,
        ge=0.5,
        le=1.0,
        description="How alike two comments must be (0.5 to 1, cosine of their character "
        "n-grams) to belong to the same campaign.",
    )
    policy_clauses: list[PolicyClause] = Field(
        default_factory=news_site_clauses,
        max_length=20,
        description="The site's policy as clauses in its own words, each tied to checks; "
        "reasons, nudges and rejection messages cite the clause a comment may break.",
    )

    @field_validator("policy_clauses")
    @classmethod
    def _clauses_are_distinct(cls, clauses: list[PolicyClause]) -> list[PolicyClause]:
        keys: set[str] = set()
        cited: dict[Check, str] = {}
        for clause in clauses:
            if clause.key in keys:
                raise ValueError(f"two policy clauses have the key {clause.key!r}")
            keys.add(clause.key)
            for check in clause.checks:
                if cited.setdefault(check, clause.key) != clause.key:
                    raise ValueError(
                        f"the check {check.value!r} is in clauses {cited[check]!r} and "
                        f"{clause.key!r}; a check belongs to at most one clause"
                    )
        return clauses

    def clause_for(self, check: Check) -> PolicyClause | None:
        """The clause that cites this check, if any."""
        return next((clause for clause in self.policy_clauses if check in clause.checks), None)
