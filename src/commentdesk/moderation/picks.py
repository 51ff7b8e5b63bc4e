"""Editor's-pick suggestions: a site's recent published comments that the constructiveness model
rates highest. Suggests only; featuring one is the moderator's ordinary `feature` decision."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from commentdesk.accounts.models import Account
from commentdesk.comments import best_sort
from commentdesk.comments.models import Comment, CommentStatus
from commentdesk.moderation.service import require_moderator
from commentdesk.scoring.models import RevisionScore
from commentdesk.sites.models import Site
from commentdesk.stories.models import Story

WINDOW = timedelta(days=7)
# Below this the model is not confident the comment advances the story; a pick should.
MIN_SCORE = 0.6
LIMIT = 20
EXCERPT_CHARACTERS = 280
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class PickSuggestion:
    """One comment worth featuring, with what the model said of its current text."""

    comment_id: int
    story_id: int
    story_title: str
    story_url: str
    author_name: str
    excerpt: str
    created_at: datetime
    reaction_count: int
    score: float
    explanation: str


def excerpt(body: str, *, limit: int = EXCERPT_CHARACTERS) -> str:
    """The comment's opening on one line, cut at a word and marked when cut."""
    flat = _SPACES.sub(" ", body).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(" ,;:") + "…"


def suggest_picks(
    session: Session, *, site: Site, moderator: Account, now: datetime
) -> list[PickSuggestion]:
    """The site's top-level comments of the last seven days that are published and not yet
    featured, whose current text scores at least `MIN_SCORE` for constructiveness; best first
    (newest first among equals), at most `LIMIT`."""
    require_moderator(moderator, site_id=site.id)
    since = now - WINDOW
    rows = session.execute(
        select(Comment, Story.title, Story.url, RevisionScore.value, RevisionScore.explanation)
        .join(RevisionScore, RevisionScore.comment_id == Comment.id)
        .join(Story, Story.id == Comment.story_id)
        .where(
            # The (site, name, created_at) index finds the week's scores; a score is never
            # older than its comment.
            RevisionScore.site_id == site.id,
            RevisionScore.name == best_sort.SCORE_NAME,
            RevisionScore.created_at >= since,
            RevisionScore.value >= MIN_SCORE,
            RevisionScore.revision_id == best_sort.current_revision_id(),
            Comment.created_at >= since,
            Comment.status == CommentStatus.APPROVED,
            Comment.is_featured.is_(False),
            # The thread shows picks above its first page only among top-level comments.
            Comment.parent_id.is_(None),
        )
        .order_by(RevisionScore.value.desc(), Comment.id.desc())
        # Room for a revision scored twice under the name (two scorers), dropped below.
        .limit(LIMIT * 2)
    )
    found: dict[int, PickSuggestion] = {}
    for comment, title, url, value, explanation in rows:
        if comment.id in found:
            continue
        found[comment.id] = PickSuggestion(
            comment_id=comment.id,
            story_id=comment.story_id,
            story_title=title or url,
            story_url=url,
            author_name=comment.author.display_name,
            excerpt=excerpt(comment.body),
            created_at=comment.created_at,
            reaction_count=comment.reaction_count,
            score=value,
            explanation=explanation,
        )
    return list(found.values())[:LIMIT]
