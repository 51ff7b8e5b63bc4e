"""pipeline.run: every phase over a draft, in order, each reason citing the site's policy
clause, then policy.decide. Pure."""

from __future__ import annotations

from dataclasses import replace

from commentdesk.moderation import clauses, policy, rules
from commentdesk.moderation.rules import CompiledLists, Draft, Phase


def run(
    draft: Draft, lists: CompiledLists, *, phases: tuple[Phase, ...] = rules.PHASES
) -> policy.Decision:
    """Run the phases and decide. Phases after the deciding one still run, so moderators see
    every reason (a banned word and a link, say), but only refusals stop early: a refused
    comment is not stored, and the author needs only the reason to fix it."""
    results = []
    for phase in phases:
        result = phase(draft, lists)
        if result.reasons:
            cited = tuple(clauses.cite(reason, draft.settings) for reason in result.reasons)
            result = replace(result, reasons=cited)
        results.append(result)
        if result.verdict == rules.Verdict.REFUSE:
            break
    return policy.decide(results)
