"""Scorers plug into the pipeline through the register_scorers hook: their scores hold or
reject a comment at the site's thresholds; a failing scorer never breaks posting."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from commentdesk.app import create_app
from commentdesk.comments.models import Comment, Revision
from commentdesk.db.writer import WriteQueue
from commentdesk.moderation.models import Flag, ModerationAction, SiteSettings
from commentdesk.plugins import manager
from commentdesk.plugins.hookspecs import hookimpl
from commentdesk.scoring.models import RevisionScore
from commentdesk.scoring.protocol import Score, ScoringContext
from commentdesk.settings import Settings
from tests.conftest import STORY_URL, Reader


class Rudeness:
    """Scores 0.95 for "awful", 0.6 for "silly", 0.1 otherwise."""

    name = "rudeness"

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        assert context.story_title == "Budget"
        value = 0.95 if "awful" in text else 0.6 if "silly" in text else 0.1
        return [Score("toxicity", value, f"rudeness {value}")]


class Broken:
    name = "broken"

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        raise RuntimeError("model file missing")


class Plugin:
    def __init__(self, *scorers: object) -> None:
        self.scorers = list(scorers)

    @hookimpl
    def register_scorers(self) -> list[object]:
        return self.scorers


def client_with(
    engine: Engine,
    factory: sessionmaker[Session],
    tmp_path: Path,
    *scorers: object,
    settings: Settings | None = None,
) -> Iterator[TestClient]:
    # Only the test's own scorers: the built-in ones would add scores of the same names.
    app = create_app(
        settings or Settings(data_dir=tmp_path, builtin_scorers=False, background_scoring=False),
        engine=engine,
        plugins=[Plugin(*scorers)],
    )
    app.state.reader_factory = factory
    app.state.writer_factory = factory
    app.state.write_queue = WriteQueue(factory)
    app.state.dispatcher.attach(factory)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def thresholds(db: Session, site: Any) -> None:
    row = db.get(SiteSettings, site.id)
    assert row is not None
    row.moderation = {
        **row.moderation,
        "score_thresholds": {"toxicity": {"hold": 0.5, "reject": 0.9}},
    }
    site.settings_version += 1
    db.commit()


def reader_on(client: TestClient, number: int) -> Reader:
    body = client.post(
        "/api/v1/auth/register",
        json={
            "email": f"scored{number}@example.org",
            "password": "long enough pw",
            "name": f"Scored {number}",
        },
    ).json()
    return Reader(client, body["token"], body["account"])


def test_scores_hold_or_reject_at_the_site_thresholds(
    engine: Engine,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    thresholds: None,
    story: Any,
    db: Session,
) -> None:
    for client in client_with(engine, session_factory, tmp_path, Rudeness()):
        reader = reader_on(client, 1)
        assert reader.post("A measured point about the budget").json()["status"] == "approved"
        held = reader.post("A silly idea").json()
        assert held["status"] == "pending"
        rejected = reader.post("An awful person wrote this").json()
        assert rejected["status"] == "rejected"
        assert rejected["reason"].endswith("Your comment breaks our comment policy.")
        audit = db.scalars(
            select(ModerationAction.reasons).where(ModerationAction.comment_id == rejected["id"])
        ).one()
        assert audit is not None and audit[0]["code"] == "toxicity"
        assert audit[0]["detail"]["score"] == 0.95
        # Every score is stored on the revision that was scored, explanation and all.
        stored = db.execute(
            select(RevisionScore.name, RevisionScore.value, RevisionScore.explanation)
            .join(Revision, Revision.id == RevisionScore.revision_id)
            .where(Revision.comment_id == rejected["id"])
        ).all()
        assert [tuple(row) for row in stored] == [("toxicity", 0.95, "rudeness 0.95")]
        check = reader.request(
            "POST", "/api/v1/comments/check", json={"story_url": STORY_URL, "body": "so awful"}
        ).json()
        assert check["outcome"] == "reject"


def test_a_failing_scorer_holds_the_comment_but_never_breaks_posting(
    engine: Engine,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    thresholds: None,
    story: Any,
) -> None:
    for client in client_with(engine, session_factory, tmp_path, Broken(), Rudeness()):
        posted = reader_on(client, 2).post("A measured point")
        assert posted.status_code == 201
        assert posted.json()["status"] == "pending"


class Slow:
    """Answers long after the site's budget."""

    name = "slow"

    def __init__(self) -> None:
        self.release = threading.Event()

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        self.release.wait(timeout=10)
        return [Score("toxicity", 0.0, "slowly")]


def test_a_late_scorer_withholds_the_comment_until_it_is_scored_after_the_write(
    engine: Engine,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    thresholds: None,
    story: Any,
    db: Session,
) -> None:
    slow = Slow()
    app_settings = Settings(
        data_dir=tmp_path,
        scoring_budget_seconds=0.05,
        builtin_scorers=False,
        background_scoring=False,
    )
    try:
        for client in client_with(
            engine, session_factory, tmp_path, slow, Rudeness(), settings=app_settings
        ):
            posted = reader_on(client, 4).post("A measured point")
            assert posted.status_code == 201 and posted.json()["status"] == "withheld"
            assert posted.json()["reason"] == "Your comment will appear once it has been checked."
            comment_id = posted.json()["id"]
            audit = db.scalars(
                select(ModerationAction.reasons).where(ModerationAction.comment_id == comment_id)
            ).one()
            assert audit is not None
            assert audit[0]["code"] == "awaiting_scores"
            assert audit[0]["detail"] == {"scorers": [], "late": ["slow"]}
            # The scorers that did answer are kept at once.
            assert db.scalars(
                select(RevisionScore.explanation).where(RevisionScore.comment_id == comment_id)
            ).all() == ["rudeness 0.1"]

            slow.release.set()
            # What the background scorer does (tests/web/test_rescoring.py runs it live).
            client.portal.call(client.app.state.rescoring.run_once)  # type: ignore[union-attr]
            db.expire_all()
            comment = db.get(Comment, comment_id)
            assert comment is not None and comment.status == "approved"
            assert sorted(
                db.scalars(
                    select(RevisionScore.explanation).where(RevisionScore.comment_id == comment_id)
                )
            ) == ["rudeness 0.1", "slowly"]
            actions = db.execute(
                select(ModerationAction.action, ModerationAction.to_status)
                .where(ModerationAction.comment_id == comment_id)
                .order_by(ModerationAction.id)
            ).all()
            assert [tuple(row) for row in actions] == [
                ("posted", "withheld"),
                ("scored", "approved"),
            ]
            assert db.scalars(select(Flag.status).where(Flag.comment_id == comment_id)).all() == [
                "dismissed"
            ]
    finally:
        slow.release.set()


def test_no_scorers_registered_means_the_pipeline_still_decides(
    engine: Engine,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    thresholds: None,
    story: Any,
) -> None:
    for client in client_with(engine, session_factory, tmp_path):
        assert reader_on(client, 3).post("An awful lot of money").json()["status"] == "approved"


def test_plugin_manager_collects_scorers_in_order() -> None:
    built = manager.build([Plugin(Rudeness(), Broken())], load_entry_points=False)
    assert [scorer.name for scorer in manager.scorers(built)] == ["rudeness", "broken"]
