"""The moderation phases, as pure functions of a Draft: each returns a partial result (a verdict
or none, and reasons). They read no database and no clock; the caller gathers the facts."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from enum import StrEnum

from commentdesk.moderation import clauses
from commentdesk.moderation.links import linked_domains
from commentdesk.moderation.settings import LinkPolicy, ModerationSettings
from commentdesk.moderation.words import WordList, fold
from commentdesk.scoring.runner import Outcome
from commentdesk.scoring.site_head import AUTHOR_MESSAGE as HELD

TRUSTED_ROLES = frozenset({"staff", "moderator", "admin"})
# The reason a comment carries while its scores are still being worked out.
AWAITING_SCORES = "awaiting_scores"


class Verdict(StrEnum):
    """What a phase or the policy says should happen to a comment, mildest first."""

    APPROVE = "approve"
    HOLD = "hold"  # pending: awaits a moderator
    WITHHOLD = "withhold"  # withheld: hidden by the system, queued
    REJECT = "reject"  # stored as rejected, the author told why
    REFUSE = "refuse"  # not stored at all: the author is told to change something


@dataclass(frozen=True)
class Reason:
    """Why a phase said what it said: a stable code, the phase, a message for moderators, an
    optional one for the author, and machine-readable detail (the matched word, the domain)."""

    code: str
    phase: str
    message: str
    author_message: str | None = None
    detail: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class PhaseResult:
    verdict: Verdict | None = None
    reasons: tuple[Reason, ...] = ()


NOTHING = PhaseResult()


@dataclass(frozen=True)
class Draft:
    """Everything the phases look at for one comment."""

    body: str
    html: str
    story_is_closed: bool
    story_is_premoderated: bool
    author_role: str
    author_status: str
    author_suspended_until: datetime | None
    author_is_premoderated: bool
    author_approved_count: int
    # Whether this post would exceed the site's rate limit for the author, and the author's
    # comments within the repeat window: (body, posted at), newest first.
    is_over_rate_limit: bool
    recent_posts: tuple[tuple[str, datetime], ...]
    settings: ModerationSettings
    now: datetime
    # What the scorers said (with those that failed or ran out of time); empty without scorers.
    scoring: Outcome = field(default_factory=Outcome)


@dataclass(frozen=True)
class CompiledLists:
    """A site's word lists, compiled once per settings version."""

    banned: WordList
    suspect: WordList

    @classmethod
    def of(cls, settings: ModerationSettings) -> CompiledLists:
        return cls(
            WordList.compile(settings.banned_words), WordList.compile(settings.suspect_words)
        )


Phase = Callable[[Draft, CompiledLists], PhaseResult]


def length(draft: Draft, lists: CompiledLists) -> PhaseResult:
    limit = draft.settings.max_length
    if len(draft.body) <= limit:
        return NOTHING
    message = f"Comments on this site can be at most {limit} characters long."
    return PhaseResult(
        Verdict.REFUSE,
        (
            Reason(
                "too_long", "length", message, message, {"length": len(draft.body), "limit": limit}
            ),
        ),
    )


def story_closed(draft: Draft, lists: CompiledLists) -> PhaseResult:
    if not draft.story_is_closed:
        return NOTHING
    message = "This story is closed for comments."
    return PhaseResult(Verdict.REFUSE, (Reason("story_closed", "story", message, message),))


def account_standing(draft: Draft, lists: CompiledLists) -> PhaseResult:
    if draft.author_status == "banned":
        message = "This account is banned from commenting."
        return PhaseResult(Verdict.REFUSE, (Reason("account_banned", "account", message, message),))
    until = draft.author_suspended_until
    if draft.author_status == "suspended" or (until is not None and until > draft.now):
        message = "This account is suspended" + (
            f" until {until:%Y-%m-%d %H:%M} UTC." if until else "."
        )
        return PhaseResult(
            Verdict.REFUSE, (Reason("account_suspended", "account", message, message),)
        )
    return NOTHING


def rate_limit(draft: Draft, lists: CompiledLists) -> PhaseResult:
    if not draft.is_over_rate_limit:
        return NOTHING
    message = (
        f"You can post {draft.settings.rate_limit_count} comments every "
        f"{draft.settings.rate_limit_window_seconds} seconds; please wait a moment."
    )
    return PhaseResult(Verdict.REFUSE, (Reason("rate_limited", "rate", message, message),))


def repeat_post(draft: Draft, lists: CompiledLists) -> PhaseResult:
    if not draft.recent_posts:
        return NOTHING
    window = timedelta(seconds=draft.settings.repeat_window_seconds)
    mine = _comparable(draft.body)
    for body, posted_at in draft.recent_posts:
        if draft.now - posted_at >= window:
            continue
        similarity = SequenceMatcher(None, mine, _comparable(body)).ratio()
        if similarity >= draft.settings.repeat_similarity:
            message = "You have already posted this comment."
            return PhaseResult(
                Verdict.REFUSE,
                (
                    Reason(
                        "repeat_post",
                        "repeat",
                        message,
                        message,
                        {"similarity": round(similarity, 3)},
                    ),
                ),
            )
    return NOTHING


def _comparable(body: str) -> str:
    return " ".join(re.findall(r"\w+", fold(body)))


def words(draft: Draft, lists: CompiledLists) -> PhaseResult:
    if not (lists.banned or lists.suspect):
        return NOTHING
    banned = lists.banned.find(draft.body)
    if banned:
        return PhaseResult(
            Verdict.REJECT,
            (
                Reason(
                    "banned_word",
                    "words",
                    f"Uses banned language: {', '.join(banned)}.",
                    "Your comment uses language our policy does not allow.",
                    {"words": banned},
                ),
            ),
        )
    suspect = lists.suspect.find(draft.body)
    if suspect:
        return PhaseResult(
            Verdict.HOLD,
            (
                Reason(
                    "suspect_word",
                    "words",
                    f"Uses words on the watch list: {', '.join(suspect)}.",
                    "Your comment is waiting for a moderator to review it.",
                    {"words": suspect},
                ),
            ),
        )
    return NOTHING


def links(draft: Draft, lists: CompiledLists) -> PhaseResult:
    policy = draft.settings.link_policy
    if policy == LinkPolicy.ALLOW:
        return NOTHING
    domains = linked_domains(draft.html, draft.body)
    if not domains:
        return NOTHING
    if policy == LinkPolicy.HOLD_UNLISTED:
        allowed = draft.settings.allowed_link_domains
        domains = [domain for domain in domains if not _is_listed(domain, allowed)]
        if not domains:
            return NOTHING
    return PhaseResult(
        Verdict.HOLD,
        (
            Reason(
                "link",
                "links",
                f"Links to {', '.join(domains)}.",
                "Comments with links wait for a moderator to review them.",
                {"domains": domains},
            ),
        ),
    )


def _is_listed(domain: str, allowed: list[str]) -> bool:
    return any(domain == entry or domain.endswith("." + entry) for entry in allowed)


def trusted_role(draft: Draft, lists: CompiledLists) -> PhaseResult:
    if draft.author_role not in TRUSTED_ROLES:
        return NOTHING
    return PhaseResult(
        Verdict.APPROVE,
        (
            Reason(
                "trusted_role",
                "trust",
                f"Posted by {draft.author_role}; published without review.",
            ),
        ),
    )


def always_premoderated(draft: Draft, lists: CompiledLists) -> PhaseResult:
    if not draft.author_is_premoderated:
        return NOTHING
    return PhaseResult(
        Verdict.HOLD,
        (
            Reason(
                "account_premoderated",
                "trust",
                "This account is set to always be pre-moderated.",
                "Your comment is waiting for a moderator to review it.",
            ),
        ),
    )


def new_commenter(draft: Draft, lists: CompiledLists) -> PhaseResult:
    needed = draft.settings.new_commenter_threshold
    if draft.author_approved_count >= needed:
        return NOTHING
    return PhaseResult(
        Verdict.HOLD,
        (
            Reason(
                "new_commenter",
                "trust",
                f"New commenter: {draft.author_approved_count} of {needed} approved comments.",
                "Welcome! A moderator reviews the first comments of new commenters.",
                {"approved": draft.author_approved_count, "needed": needed},
            ),
        ),
    )


def premoderation(draft: Draft, lists: CompiledLists) -> PhaseResult:
    if not draft.story_is_premoderated:
        return NOTHING
    return PhaseResult(
        Verdict.HOLD,
        (
            Reason(
                "premoderated",
                "mode",
                "Comments on this story are pre-moderated.",
                "Awaiting review by the editors.",
            ),
        ),
    )


def scores(draft: Draft, lists: CompiledLists) -> PhaseResult:
    """The scorers' verdict on a draft (see score_verdict)."""
    return score_verdict(draft.scoring, draft.settings)


def score_verdict(scoring: Outcome, settings: ModerationSettings) -> PhaseResult:
    """The scorers' verdict: the most severe threshold any score reaches, its reason first (a
    flag publishes with a reason); failures hold the comment when the site says so."""
    found: list[tuple[Verdict, Reason]] = []
    for score in scoring.scores:
        threshold = settings.score_thresholds.get(score.name)
        reached = threshold.reached(score.value) if threshold else None
        if reached is None:
            continue
        # A flag publishes the comment: its reason ranks with approval, below any hold.
        verdict = _THRESHOLD_VERDICTS[reached]
        code = clauses.score_code(score.name)
        message = f"{score.name} {score.value:.2f}: {score.explanation}"
        detail = {"score": round(score.value, 3), "explanation": score.explanation}
        detail["threshold"] = reached
        told = clauses.score_author_message(code, reached)
        # Cited here too, not only in the pipeline: rescoring after the write comes here alone.
        reason = clauses.cite(Reason(code, "scores", message, told, detail), settings)
        found.append((verdict, reason))
    head = settings.assistant_head
    likelihood = head.likelihood(scoring.scores) if head else None
    if head is not None and likelihood is not None and likelihood >= head.threshold:
        odds = {"likelihood": round(likelihood, 3), "threshold": head.threshold}
        reason = Reason("assistant_verdict", "scores", head.explain(likelihood), HELD, odds)
        found.append((Verdict.HOLD, reason))
    failed, late = scoring.failed, scoring.late
    detail = {"scorers": list(failed), "late": list(late)}
    if failed:
        verdict = Verdict.HOLD if settings.hold_when_scorers_fail else Verdict.APPROVE
        message = f"Could not score: {', '.join(failed + late)}" + (
            " (out of time)." if late else "."
        )
        told = "Your comment is waiting for a moderator to review it."
        found.append((verdict, Reason("scorer_failed", "scores", message, told, detail)))
    elif late:
        # Scored after the write (moderation/rescoring.py): withheld until then, or published
        # at once and taken back if the scores say so, as the site chooses.
        verdict = Verdict.WITHHOLD if settings.hold_when_scorers_fail else Verdict.APPROVE
        message = f"Scoring after posting: {', '.join(late)} did not answer in time."
        told = "Your comment will appear once it has been checked."
        found.append((verdict, Reason(AWAITING_SCORES, "scores", message, told, detail)))
    found.sort(key=lambda item: -_SEVERITY[item[0]])
    worst = found[0][0] if found else Verdict.APPROVE
    return PhaseResult(
        None if worst == Verdict.APPROVE else worst, tuple(reason for _, reason in found)
    )


_THRESHOLD_VERDICTS = {"flag": Verdict.APPROVE, "hold": Verdict.HOLD, "reject": Verdict.REJECT}
_SEVERITY = {
    Verdict.APPROVE: 0,
    Verdict.HOLD: 1,
    Verdict.WITHHOLD: 2,
    Verdict.REJECT: 3,
    Verdict.REFUSE: 4,
}


# The order reads like the policy; the first phase with a verdict decides.
PHASES: tuple[Phase, ...] = (
    length,
    story_closed,
    account_standing,
    rate_limit,
    repeat_post,
    words,
    links,
    trusted_role,
    always_premoderated,
    new_commenter,
    premoderation,
    scores,
)
