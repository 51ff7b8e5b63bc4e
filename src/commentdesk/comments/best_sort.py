"""The constructiveness of a comment's current text as SQL, for the thread's `best` sort and the
desk's editor's-pick suggestions. Builds expressions only; it runs no query of its own."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Label, func, select

from commentdesk.comments.models import Comment, Revision
from commentdesk.scoring.models import RevisionScore

SCORE_NAME = "constructiveness"
# A comment whose current text has no constructiveness score (the scorer is not installed, was
# late or failed, an edit is not scored yet, or it predates the scorer) counts as undecided:
# below what the model found constructive, above what it found unconstructive. Burying it
# would punish readers for the server's state; promoting it would reward it.
UNSCORED = 0.5


def current_revision_id() -> ColumnElement[int]:
    """The id of the outer query's comment's newest revision: the text readers see now."""
    return (
        select(func.max(Revision.id))
        .where(Revision.comment_id == Comment.id)
        .correlate(Comment)
        .scalar_subquery()
    )


def current_score() -> ColumnElement[float | None]:
    """The outer query's comment's constructiveness on its current revision, or NULL.

    One correlated subquery over the `revision_scores.revision_id` index; `max` keeps it a
    single value should two scorers both report the name."""
    return (
        select(func.max(RevisionScore.value))
        .where(
            RevisionScore.revision_id == current_revision_id(),
            RevisionScore.name == SCORE_NAME,
        )
        .correlate(Comment)
        .scalar_subquery()
    )


def sort_score() -> Label[float | None]:
    """What the `best` sort orders by: the current score, or `UNSCORED` without one."""
    return func.coalesce(current_score(), UNSCORED).label("best_score")
