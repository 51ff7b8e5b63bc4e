"""policy.decide: one verdict from the phases' partial results, with every reason kept. Pure."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from commentdesk.moderation.rules import PhaseResult, Reason, Verdict


@dataclass(frozen=True)
class Decision:
    """The verdict, the reason that decided it, and every reason any phase gave."""

    verdict: Verdict
    reasons: tuple[Reason, ...]
    deciding: Reason | None

    @property
    def author_message(self) -> str | None:
        return self.deciding.author_message if self.deciding else None


def decide(results: Sequence[PhaseResult]) -> Decision:
    """The first phase with a verdict decides; with none, the comment is approved."""
    reasons = tuple(reason for result in results for reason in result.reasons)
    for result in results:
        if result.verdict is not None:
            return Decision(result.verdict, reasons, result.reasons[0] if result.reasons else None)
    return Decision(Verdict.APPROVE, reasons, None)


# A Beta(1, 1) prior: a reporter with no decided reports weighs 0.5.
PRIOR_UPHELD = 1
PRIOR_DECIDED = 2


def reporter_weight(*, upheld: int, dismissed: int) -> float:
    """How much one reader's report counts: the share of their decided reports that moderators
    upheld, pulled towards one half while they have few."""
    return (upheld + PRIOR_UPHELD) / (upheld + dismissed + PRIOR_DECIDED)


@dataclass(frozen=True)
class PrioritySignals:
    """What the priority order weighs for one queued comment."""

    report_weight: float
    machine_flags: tuple[str, ...]
    reply_count: int
    reaction_count: int
    story_comment_count: int
    waiting_seconds: float


# Machine flags that weigh double: a banned word, or a harm score at its `flag` level (the
# flag's code is the score's name; see moderation/clauses.py).
SERIOUS_FLAGS = frozenset(
    {"banned_word", "toxicity", "severe_toxicity", "threat", "identity_attack", "spam"}
)


def priority(signals: PrioritySignals) -> tuple[float, list[str]]:
    """A queued comment's priority (higher first) and the reasons, in words, for where it sits:
    risk (report weight, machine flags) counts most, then reach (its replies and reactions, its
    story's audience), then how long it has waited (capped at two days)."""
    why: list[str] = []
    risk = 3.0 * signals.report_weight
    if signals.report_weight:
        why.append(f"reports weigh {signals.report_weight:.2f}")
    for flag in signals.machine_flags:
        risk += 2.0 if flag in SERIOUS_FLAGS else 1.0
        why.append(flag.replace("_", " "))
    reach = (
        math.log1p(signals.story_comment_count)
        + 2.0 * math.log1p(signals.reply_count)
        + math.log1p(signals.reaction_count)
    ) / 4.0
    if signals.reply_count or signals.reaction_count:
        why.append(f"{signals.reply_count} replies, {signals.reaction_count} reactions")
    if signals.story_comment_count >= 50:
        why.append(f"busy story ({signals.story_comment_count} comments)")
    hours = min(signals.waiting_seconds / 3600.0, 48.0)
    why.append(f"waiting {_duration(signals.waiting_seconds)}")
    return round(3.0 * risk + reach + hours / 6.0, 3), why


def _duration(seconds: float) -> str:
    if seconds < 3600:
        return f"{max(1, int(seconds // 60))} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"
