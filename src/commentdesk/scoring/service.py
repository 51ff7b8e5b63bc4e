"""Reading what the scorers said: a site's score distributions, for the desk's charts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, case, cast, func, select
from sqlalchemy.orm import Session

from commentdesk.scoring.models import RevisionScore

BINS = 10


def score_distributions(session: Session, *, site_id: int, since: datetime) -> dict[str, list[int]]:
    """Per score name, how many scores since `since` fell in each tenth of [0, 1]."""
    # CAST truncates, which is floor for values in [0, 1]; 1.0 joins the top bin.
    tenth = cast(RevisionScore.value * BINS, Integer)
    bucket = case((tenth >= BINS, BINS - 1), else_=tenth)
    rows = session.execute(
        select(RevisionScore.name, bucket.label("bucket"), func.count())
        .where(RevisionScore.site_id == site_id, RevisionScore.created_at >= since)
        .group_by(RevisionScore.name, bucket)
    )
    found: dict[str, list[int]] = {}
    for name, index, count in rows:
        found.setdefault(name, [0] * BINS)[int(index)] += int(count)
    return dict(sorted(found.items()))
