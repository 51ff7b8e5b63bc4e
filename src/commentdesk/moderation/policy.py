"""policy.decide: one verdict from the phases' partial results, with every reason kept. Pure."""

from __future__ import annotations

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
