"""Coordinated campaigns: near-identical comments posted by different accounts on one story
within a window. Found at read time from the comments table (a bounded scan); the clustering is
a pure function. Decides nothing: moderators act on a campaign through the bulk decision."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from commentdesk.accounts.models import Account
from commentdesk.comments.models import Comment, CommentStatus
from commentdesk.moderation import intake
from commentdesk.moderation.schemas import CampaignMember, CampaignPage, CampaignView
from commentdesk.moderation.service import require_moderator
from commentdesk.moderation.settings import ModerationSettings
from commentdesk.sites.models import Site
from commentdesk.stories.models import Story

# A campaign is looked for among at most this many of the latest comments in the window: the
# read stays bounded (about 0.1 s on this machine) however busy the site is.
SCAN_LIMIT = 2000
# Shorter bodies are left out: many readers honestly write "Great article, thanks!", and a
# pitch needs more room than that.
MIN_CHARACTERS = 40
# Only a comment's opening is compared: a pitch shows there, and n-grams of long essays would
# cost most of the read's time for nothing.
COMPARED_CHARACTERS = 1000
EXCERPT_CHARACTERS = 280
_SPACES = re.compile(r"\s+")
# "!!!!!!!!" and "soooooo" would otherwise fill a short comment's n-grams and make unrelated
# comments look alike.
_REPEATS = re.compile(r"(.)\1{2,}")


@dataclass(frozen=True)
class Posting:
    """One comment as the clustering sees it."""

    comment_id: int
    story_id: int
    author_id: int
    body: str
    posted_at: datetime


@dataclass(frozen=True)
class Cluster:
    """Near-identical postings on one story by at least the minimum number of accounts;
    `similarity` is the mean cosine between its members."""

    story_id: int
    comment_ids: tuple[int, ...]
    account_count: int
    similarity: float
    first_at: datetime
    last_at: datetime


def normalise(body: str) -> str:
    """Folded for comparison: compatibility forms, case, accents, invisible characters, runs
    of one character and of spaces."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", body).casefold())
    kept = "".join(
        char
        for char in folded
        if not unicodedata.combining(char) and unicodedata.category(char) != "Cf"
    )
    return _SPACES.sub(" ", _REPEATS.sub(r"\1\1", kept)).strip()


def find_clusters(
    postings: Sequence[Posting], *, window: timedelta, min_accounts: int, similarity: float
) -> list[Cluster]:
    """Campaigns among `postings`: comments on the same story whose character n-gram TF-IDF
    vectors have a cosine of at least `similarity` and were posted within `window` of each
    other are linked; each connected group by `min_accounts` or more accounts is a cluster."""
    texts = {
        posting.comment_id: normalise(posting.body)[:COMPARED_CHARACTERS] for posting in postings
    }
    usable = [posting for posting in postings if len(texts[posting.comment_id]) >= MIN_CHARACTERS]
    if len({posting.author_id for posting in usable}) < min_accounts:
        return []
    # Imported here: scikit-learn and SciPy cost the web process about 100 MB and a second at
    # start, and only the campaigns page needs them.
    from sklearn.feature_extraction.text import TfidfVectorizer

    # Fitted on the whole scan, so n-grams every comment on the site uses weigh little.
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32
    )
    vectors = vectorizer.fit_transform([texts[posting.comment_id] for posting in usable])
    by_story: dict[int, list[int]] = {}
    for row, posting in enumerate(usable):
        by_story.setdefault(posting.story_id, []).append(row)
    clusters: list[Cluster] = []
    for story_id, rows in by_story.items():
        members = [usable[row] for row in rows]
        if len({posting.author_id for posting in members}) < min_accounts:
            continue
        clusters += _story_clusters(
            story_id,
            members,
            vectors[rows],
            window=window,
            min_accounts=min_accounts,
            similarity=similarity,
        )
    return sorted(clusters, key=lambda cluster: (cluster.first_at, cluster.comment_ids))


def _story_clusters(
    story_id: int,
    members: list[Posting],
    vectors: Any,
    *,
    window: timedelta,
    min_accounts: int,
    similarity: float,
) -> list[Cluster]:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    cosines = coo_matrix(vectors @ vectors.T)
    seconds = np.array([posting.posted_at.timestamp() for posting in members])
    linked = (
        # float32 rounding leaves identical texts a hair under 1.0
        (cosines.data >= similarity - 1e-6)
        & (cosines.row != cosines.col)
        & (np.abs(seconds[cosines.row] - seconds[cosines.col]) <= window.total_seconds())
    )
    graph = coo_matrix(
        (np.ones(int(linked.sum())), (cosines.row[linked], cosines.col[linked])),
        shape=(len(members), len(members)),
    )
    _, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    found = []
    for label in np.flatnonzero(sizes >= min_accounts):
        indexes = np.flatnonzero(labels == label)
        group = [members[index] for index in indexes]
        accounts = len({posting.author_id for posting in group})
        if accounts < min_accounts:
            continue
        block = (vectors[indexes] @ vectors[indexes].T).toarray()
        pairs = len(indexes) * (len(indexes) - 1)
        found.append(
            Cluster(
                story_id=story_id,
                comment_ids=tuple(sorted(posting.comment_id for posting in group)),
                account_count=accounts,
                similarity=round(float((block.sum() - np.trace(block)) / pairs), 3),
                first_at=min(posting.posted_at for posting in group),
                last_at=max(posting.posted_at for posting in group),
            )
        )
    return found


def list_campaigns(
    session: Session, *, site: Site, moderator: Account, now: datetime
) -> CampaignPage:
    """The site's campaigns among its latest comments within the campaign window; those still
    needing a decision first, then by how many accounts took part."""
    require_moderator(moderator, site_id=site.id)
    settings = intake.moderation_settings(session, site=site)[0]
    since = now - timedelta(seconds=settings.campaign_window_seconds)
    comments = _scan(session, Comment.site_id == site.id, since=since, until=now)
    views = _views(session, comments, settings=settings)
    return CampaignPage(
        site_id=site.id,
        window_seconds=settings.campaign_window_seconds,
        min_accounts=settings.campaign_min_accounts,
        similarity=settings.campaign_similarity,
        scanned=len(comments),
        is_truncated=len(comments) == SCAN_LIMIT,
        campaigns=sorted(
            views,
            key=lambda view: (
                all(member.status == CommentStatus.REJECTED for member in view.members),
                -view.account_count,
                -view.last_at.timestamp(),
            ),
        ),
    )


def find_campaign_of(
    session: Session, *, comment: Comment, moderator: Account
) -> CampaignView | None:
    """The campaign `comment` belongs to, among its story's comments posted within the site's
    campaign window either side of it; None when it belongs to none."""
    require_moderator(moderator, site_id=comment.site_id)
    site = session.get_one(Site, comment.site_id)
    settings = intake.moderation_settings(session, site=site)[0]
    window = timedelta(seconds=settings.campaign_window_seconds)
    comments = _scan(
        session,
        Comment.story_id == comment.story_id,
        since=comment.created_at - window,
        until=comment.created_at + window,
    )
    views = _views(session, comments, settings=settings)
    return next(
        (view for view in views if any(member.comment_id == comment.id for member in view.members)),
        None,
    )


def _scan(
    session: Session, scope: ColumnElement[bool], *, since: datetime, until: datetime
) -> list[Comment]:
    return list(
        session.scalars(
            select(Comment)
            .where(
                scope,
                Comment.created_at >= since,
                Comment.created_at <= until,
                Comment.status != CommentStatus.DELETED,
            )
            .order_by(Comment.id.desc())
            .limit(SCAN_LIMIT)
        )
    )


def _views(
    session: Session, comments: list[Comment], *, settings: ModerationSettings
) -> list[CampaignView]:
    clusters = find_clusters(
        [
            Posting(
                comment_id=comment.id,
                story_id=comment.story_id,
                author_id=comment.author_id,
                body=comment.body,
                posted_at=comment.created_at,
            )
            for comment in comments
        ],
        window=timedelta(seconds=settings.campaign_window_seconds),
        min_accounts=settings.campaign_min_accounts,
        similarity=settings.campaign_similarity,
    )
    if not clusters:
        return []
    by_id = {comment.id: comment for comment in comments}
    stories = {
        story.id: story
        for story in session.scalars(
            select(Story).where(Story.id.in_({cluster.story_id for cluster in clusters}))
        )
    }
    views = []
    for cluster in clusters:
        members = sorted(
            (by_id[comment_id] for comment_id in cluster.comment_ids),
            key=lambda comment: (comment.created_at, comment.id),
        )
        story = stories[cluster.story_id]
        views.append(
            CampaignView(
                site_id=story.site_id,
                story_id=story.id,
                story_title=story.title,
                story_url=story.url,
                text=_excerpt(members[0].body),
                account_count=cluster.account_count,
                similarity=cluster.similarity,
                first_at=cluster.first_at,
                last_at=cluster.last_at,
                members=[
                    CampaignMember(
                        comment_id=comment.id,
                        author_id=comment.author_id,
                        author_name=comment.author.display_name,
                        status=comment.status,
                        posted_at=comment.created_at,
                        excerpt=_excerpt(comment.body),
                    )
                    for comment in members
                ],
            )
        )
    return views


def _excerpt(body: str) -> str:
    flat = _SPACES.sub(" ", body).strip()
    return flat if len(flat) <= EXCERPT_CHARACTERS else flat[: EXCERPT_CHARACTERS - 1] + "…"
