"""Learning from the desk: a site's moderators' decisions become labelled data, and `refit`
fits that site's assistant head on them and compares it with the verdict it would replace on
the held-out decisions; `store_head` keeps it in the site's settings. Never a pickle: numbers."""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select
from sqlalchemy.orm import Session

from commentdesk.comments.models import Comment
from commentdesk.moderation.models import ModerationAction, SiteSettings
from commentdesk.moderation.rules import Verdict, score_verdict
from commentdesk.moderation.settings import ModerationSettings
from commentdesk.scoring.models import RevisionScore
from commentdesk.scoring.protocol import Score
from commentdesk.scoring.runner import Outcome
from commentdesk.scoring.site_head import Agreement, AssistantHead
from commentdesk.sites.models import Site

Progress = Callable[[str, int, int], None]
MIN_DECISIONS = 50
HELD_OUT_BUCKETS = 5  # one in five
# A moderator's say on a comment; the last one stands, and an undo leaves it undecided.
DECISIONS = ("approve", "reject", "undo")
HOLDING = frozenset({Verdict.HOLD, Verdict.WITHHOLD, Verdict.REJECT})
# More candidate thresholds than this are thinned to quantiles (the fit stays quick).
MAX_CANDIDATES = 2000


@dataclass(frozen=True)
class Labelled:
    """One decided comment: the scores of the revision the moderator saw, and 1 if rejected."""

    comment_id: int
    scores: dict[str, float]
    rejected: int


@dataclass(frozen=True)
class Refit:
    """What `refit` found: how many decisions, the two verdicts' agreement on the held-out
    ones, the head, whether it agrees at least as well as what it would replace, and why."""

    decisions: int
    training: int
    held_out: int
    features: tuple[str, ...]
    before: Agreement | None
    after: Agreement | None
    head: AssistantHead | None
    is_better: bool
    message: str


def is_held_out(comment_id: int) -> bool:
    """Whether a decision belongs to the held-out fifth: by a hash of the comment's id, so the
    split is the same on every run and needs no file."""
    digest = hashlib.sha256(f"comment:{comment_id}".encode()).hexdigest()
    return int(digest[:8], 16) % HELD_OUT_BUCKETS == 0


def labelled_decisions(session: Session, *, site: Site) -> list[Labelled]:
    """The site's decided comments with stored scores: label 1 if a moderator's last decision
    rejected (or removed) it, 0 if it approved it. Undecided and unscored comments are left out."""
    actions = session.execute(
        select(ModerationAction.comment_id, ModerationAction.action, ModerationAction.created_at)
        .join(Comment, Comment.id == ModerationAction.comment_id)
        .where(
            Comment.site_id == site.id,
            ModerationAction.actor_id.is_not(None),
            ModerationAction.action.in_(DECISIONS),
        )
        .order_by(ModerationAction.created_at, ModerationAction.id)
    )
    last: dict[int, tuple[str, datetime]] = {}
    for comment_id, action, created_at in actions:
        last[comment_id] = (action, created_at)
    decided = {key: value for key, value in last.items() if value[0] != "undo"}
    if not decided:
        return []
    rows = session.execute(
        select(
            RevisionScore.comment_id,
            RevisionScore.revision_id,
            RevisionScore.name,
            RevisionScore.value,
            RevisionScore.created_at,
        )
        .where(
            RevisionScore.site_id == site.id,
            RevisionScore.comment_id.in_(
                select(ModerationAction.comment_id).where(ModerationAction.actor_id.is_not(None))
            ),
        )
        .order_by(RevisionScore.revision_id)
    )
    # The revision the moderator decided on is the newest scored one from before the decision.
    seen: dict[int, tuple[int, dict[str, float]]] = {}
    for comment_id, revision_id, name, value, created_at in rows:
        decision = decided.get(comment_id)
        if decision is None or created_at > decision[1]:
            continue
        kept = seen.get(comment_id)
        if kept is None or kept[0] != revision_id:
            kept = seen[comment_id] = (revision_id, {})
        kept[1][name] = float(value)
    return [
        Labelled(comment_id, scores, int(decided[comment_id][0] == "reject"))
        for comment_id, (_, scores) in sorted(seen.items())
    ]


def agreement(predicted: Sequence[bool], actual: Sequence[int]) -> Agreement:
    """Accuracy, Cohen's kappa, and the precision and recall of holding for rejection."""
    guesses, truths = np.asarray(predicted, dtype=bool), np.asarray(actual, dtype=bool)
    total = len(truths)
    if total == 0:
        return Agreement(decisions=0, accuracy=0.0, kappa=0.0)
    both, held, rejected = int((guesses & truths).sum()), int(guesses.sum()), int(truths.sum())
    return Agreement(
        decisions=total,
        accuracy=round(float((guesses == truths).mean()), 4),
        kappa=round(_kappa(guesses, truths), 4),
        precision=round(both / held, 4) if held else None,
        recall=round(both / rejected, 4) if rejected else None,
    )


def _kappa(guesses: NDArray[np.bool_], truths: NDArray[np.bool_]) -> float:
    total = len(truths)
    held, rejected = float(guesses.sum()), float(truths.sum())
    observed = float((guesses == truths).mean())
    chance = (held * rejected + (total - held) * (total - rejected)) / (total * total)
    # With chance agreement of 1 both sides said one thing throughout: kappa is undefined, and
    # a verdict that did no better than chance gets 0.
    if chance >= 1.0:
        return 0.0
    return max(-1.0, min(1.0, (observed - chance) / (1.0 - chance)))


def site_holds(settings: ModerationSettings, scores: dict[str, float]) -> bool:
    """Whether the site's scores verdict (thresholds and head) would hold or reject a comment
    with these scores: the `scores` phase itself, fed the stored values."""
    outcome = Outcome(scores=tuple(Score(name, value, "") for name, value in scores.items()))
    return score_verdict(outcome, settings).verdict in HOLDING


def refit(
    session: Session, *, site: Site, now: datetime, progress: Progress | None = None
) -> Refit:
    """Fit a head on the site's training decisions and compare the site's verdict with it and
    with what it has now (its thresholds, and its current head if any) on the held-out fifth.
    `is_better` when its Cohen's kappa is at least the current one: only then may the caller
    store it (`store_head`). Reads only, so it can run beside a busy site."""
    report = progress or (lambda stage, done, total: None)
    report("Reading decisions", 0, 1)
    labelled = labelled_decisions(session, site=site)
    report("Reading decisions", 1, 1)
    settings = ModerationSettings.model_validate(_stored(session, site=site))
    features = _features(labelled)
    usable = [row for row in labelled if all(name in row.scores for name in features)]
    training = [row for row in usable if not is_held_out(row.comment_id)]
    held_out = [row for row in usable if is_held_out(row.comment_id)]
    counts = (len(usable), len(training), len(held_out))
    problem = _too_few(usable, training, held_out)
    if problem:
        return Refit(*counts, tuple(features), None, None, None, False, problem)
    report("Fitting", 0, 1)
    head = _fit(features, training, settings=settings, now=now)
    report("Fitting", 1, 1)
    actual = [row.rejected for row in held_out]
    before = agreement([site_holds(settings, row.scores) for row in held_out], actual)
    with_head = settings.model_copy(update={"assistant_head": head})
    after = agreement([site_holds(with_head, row.scores) for row in held_out], actual)
    head = head.model_copy(update={"decisions": len(usable), "before": before, "after": after})
    if after.kappa < before.kappa:
        message = (
            f"Not stored: on {len(held_out)} held-out decisions the refit agrees less with "
            f"moderators (kappa {after.kappa:.3f}) than the verdict it would replace "
            f"({before.kappa:.3f})."
        )
        return Refit(*counts, tuple(features), before, after, head, False, message)
    message = (
        f"The refit agrees with moderators at least as well (kappa {after.kappa:.3f} against "
        f"{before.kappa:.3f}); it holds comments it rates {head.threshold:.2f} or more likely "
        "to be rejected."
    )
    return Refit(*counts, tuple(features), before, after, head, True, message)


def store_head(session: Session, *, site: Site, head: AssistantHead | None) -> None:
    """Put a head in the site's settings (None removes it) and let every process reload them."""
    row = session.get(SiteSettings, site.id)
    if row is None:
        row = SiteSettings(site_id=site.id, moderation={})
        session.add(row)
    settings = ModerationSettings.model_validate(row.moderation or {})
    settings = settings.model_copy(update={"assistant_head": head})
    row.moderation = settings.model_dump(mode="json")
    site.settings_version += 1
    session.flush()


def _stored(session: Session, *, site: Site) -> dict[str, object]:
    row = session.get(SiteSettings, site.id)
    return dict(row.moderation) if row is not None and row.moderation else {}


def _features(labelled: Sequence[Labelled]) -> list[str]:
    # Scores most decisions carry; a scorer added last week should not shrink the data to a week.
    counts = Counter(name for row in labelled for name in row.scores)
    return sorted(name for name, count in counts.items() if count * 2 >= len(labelled))


def _too_few(
    usable: Sequence[Labelled], training: Sequence[Labelled], held_out: Sequence[Labelled]
) -> str | None:
    if len(usable) < MIN_DECISIONS:
        return (
            f"Not enough decisions: {len(usable)} comments with scores have been approved or "
            f"rejected by a moderator; at least {MIN_DECISIONS} are needed. Nothing was stored."
        )
    for part, rows in (("training", training), ("held-out", held_out)):
        labels = {row.rejected for row in rows}
        if labels != {0, 1}:
            missing = "rejection" if 1 not in labels else "approval"
            return (
                f"The {part} decisions have no {missing}: the head needs both to learn and to be "
                "tested. Nothing was stored."
            )
    return None


def _matrix(features: Sequence[str], rows: Sequence[Labelled]) -> NDArray[np.float64]:
    return np.array([[row.scores[name] for name in features] for row in rows], dtype=np.float64)


def _fit(
    features: Sequence[str],
    training: Sequence[Labelled],
    *,
    settings: ModerationSettings,
    now: datetime,
) -> AssistantHead:
    from sklearn.linear_model import LogisticRegression

    labels = np.array([row.rejected for row in training], dtype=bool)
    model = LogisticRegression(C=10.0, max_iter=1000).fit(_matrix(features, training), labels)
    coefficients = {
        name: float(value) for name, value in zip(features, model.coef_[0], strict=True)
    }
    draft = AssistantHead(
        coefficients=coefficients,
        intercept=float(model.intercept_[0]),
        threshold=1.0,
        trained_at=now,
        decisions=len(training),
        before=Agreement(decisions=0, accuracy=0.0, kappa=0.0),
        after=Agreement(decisions=0, accuracy=0.0, kappa=0.0),
    )
    # The threshold is chosen with the site's other thresholds in force, as the head will run.
    without_head = settings.model_copy(update={"assistant_head": None})
    already = np.array([site_holds(without_head, row.scores) for row in training])
    likelihoods = np.array([draft.likelihood(_as_scores(row)) or 0.0 for row in training])
    threshold = _best_threshold(likelihoods, already, labels)
    return draft.model_copy(update={"threshold": threshold})


def _as_scores(row: Labelled) -> list[Score]:
    return [Score(name, value, "") for name, value in row.scores.items()]


def _best_threshold(
    likelihoods: NDArray[np.float64], already: NDArray[np.bool_], labels: NDArray[np.bool_]
) -> float:
    """The threshold whose verdict has the best kappa on the training decisions (the higher
    one on a tie: fewer holds for the same agreement)."""
    candidates = np.unique(likelihoods)
    if len(candidates) > MAX_CANDIDATES:
        candidates = np.unique(np.quantile(likelihoods, np.linspace(0, 1, MAX_CANDIDATES)))
    best, best_kappa = 1.0, _kappa(already, labels)
    for candidate in candidates[::-1]:
        kappa = _kappa(already | (likelihoods >= candidate), labels)
        if kappa > best_kappa:
            best, best_kappa = float(candidate), kappa
    # Rounded down, so the comments it was chosen to hold are still held.
    return math.floor(best * 10_000) / 10_000
