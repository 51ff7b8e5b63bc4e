"""Scoring after the write: a comment stored before its scores were in is scored in the
background. The site chooses whether it waits withheld or is published at once; its scores
then publish, hold or take it back, unless a person has acted on it meanwhile; comments left
waiting by a stopped process are picked up by the next."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from commentdesk.accounts.models import Role
from commentdesk.app import create_app
from commentdesk.comments.models import Comment
from commentdesk.db import migrate
from commentdesk.db.engine import build_engine
from commentdesk.moderation.models import Flag, ModerationAction, SiteSettings
from commentdesk.moderation.settings import ModerationSettings
from commentdesk.scoring.models import RevisionScore
from commentdesk.settings import Settings
from commentdesk.sites import service as sites
from tests.web.test_pipeline import sign_in_as
from tests.web.test_scorers import Plugin, Rudeness, client_with, reader_on

NOT_WAITING = Settings(builtin_scorers=False, scoring_budget_seconds=0, background_scoring=False)


def _site_settings(db: Session, site: Any, **changes: Any) -> None:
    row = db.get(SiteSettings, site.id)
    assert row is not None
    row.moderation = {
        **row.moderation,
        "score_thresholds": {"toxicity": {"hold": 0.5, "reject": 0.9}},
        **changes,
    }
    site.settings_version += 1
    db.commit()


def _settle(client: TestClient) -> int:
    """Run the background scorer over everything waiting, as `commentdesk rescore` does."""
    app: Any = client.app
    settled: int = client.portal.call(app.state.rescoring.run_once)  # type: ignore[union-attr]
    return settled


def _status(db: Session, comment_id: int) -> str:
    db.expire_all()
    comment = db.get(Comment, comment_id)
    assert comment is not None
    return comment.status


def test_with_a_zero_budget_every_comment_waits_withheld_then_its_scores_decide(
    engine: Engine,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    story: Any,
    db: Session,
    site: Any,
) -> None:
    _site_settings(db, site)
    settings = NOT_WAITING.model_copy(update={"data_dir": tmp_path})
    for client in client_with(engine, session_factory, tmp_path, Rudeness(), settings=settings):
        reader = reader_on(client, 21)
        posted = {
            text: reader.post(text).json()
            for text in ("A measured point", "A silly idea", "An awful person")
        }
        assert {body["status"] for body in posted.values()} == {"withheld"}
        # Nothing was scored on the request path.
        assert db.scalar(select(RevisionScore.id).limit(1)) is None
        # A reader sees none of them yet.
        thread = client.get("/api/v1/threads", params={"url": story["url"]}).json()
        assert thread["comments"] == []

        assert _settle(client) == 3
        statuses = {text: _status(db, body["id"]) for text, body in posted.items()}
        assert statuses == {
            "A measured point": "approved",
            "A silly idea": "pending",
            "An awful person": "rejected",
        }
        rejected = db.scalars(
            select(ModerationAction).where(
                ModerationAction.comment_id == posted["An awful person"]["id"],
                ModerationAction.action == "scored",
            )
        ).one()
        assert rejected.actor_id is None and rejected.reason_code == "toxicity"
        assert rejected.reasons is not None and rejected.reasons[0]["detail"]["score"] == 0.95
        assert len(db.scalars(select(RevisionScore)).all()) == 3
        # Every flag is closed: a second pass finds nothing to do.
        assert _settle(client) == 0
        thread = client.get("/api/v1/threads", params={"url": story["url"]}).json()
        assert [comment["id"] for comment in thread["comments"]] == [
            posted["A measured point"]["id"]
        ]


def test_a_site_that_publishes_first_sees_a_toxic_comment_taken_back(
    engine: Engine,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    story: Any,
    db: Session,
    site: Any,
) -> None:
    _site_settings(db, site, hold_when_scorers_fail=False)
    settings = NOT_WAITING.model_copy(update={"data_dir": tmp_path})
    for client in client_with(engine, session_factory, tmp_path, Rudeness(), settings=settings):
        reader = reader_on(client, 22)
        civil = reader.post("A measured point").json()
        rude = reader.post("A silly idea").json()
        assert civil["status"] == rude["status"] == "approved"
        _settle(client)
        assert _status(db, civil["id"]) == "approved"
        assert _status(db, rude["id"]) == "pending"
        moves = db.execute(
            select(ModerationAction.action, ModerationAction.from_status)
            .where(ModerationAction.comment_id == rude["id"])
            .order_by(ModerationAction.id)
        ).all()
        assert [tuple(move) for move in moves] == [("posted", None), ("scored", "approved")]


def test_a_moderators_decision_made_while_waiting_stands(
    engine: Engine,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    story: Any,
    db: Session,
    site: Any,
    now: Any,
) -> None:
    _site_settings(db, site)
    settings = NOT_WAITING.model_copy(update={"data_dir": tmp_path})
    for client in client_with(engine, session_factory, tmp_path, Rudeness(), settings=settings):
        waiting = reader_on(client, 23).post("An awful person").json()
        moderator = sign_in_as(client, db, now, Role.MODERATOR)
        decided = moderator.request(
            "POST",
            f"/api/v1/moderation/comments/{waiting['id']}/decision",
            json={"action": "approve", "message": "Robust, not abusive."},
        )
        assert decided.status_code == 200, decided.text
        # The decision closed the comment's flags: nothing is left to settle, and the
        # moderator's approval stands.
        assert _settle(client) == 0
        assert _status(db, waiting["id"]) == "approved"


def test_comments_left_waiting_by_a_stopped_process_are_scored_by_the_next(
    engine: Engine,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    story: Any,
    db: Session,
    site: Any,
) -> None:
    _site_settings(db, site)
    settings = NOT_WAITING.model_copy(update={"data_dir": tmp_path})
    for client in client_with(engine, session_factory, tmp_path, Rudeness(), settings=settings):
        left = reader_on(client, 24).post("A measured point").json()
    assert _status(db, left["id"]) == "withheld"
    assert db.scalars(select(Flag.status).where(Flag.comment_id == left["id"])).all() == ["open"]

    # The next process settles what was left: its background scorer starts with this pass.
    for client in client_with(engine, session_factory, tmp_path, Rudeness(), settings=settings):
        assert _settle(client) == 1
        assert _status(db, left["id"]) == "approved"


def test_a_running_server_scores_its_own_posts_as_they_come(tmp_path: Path) -> None:
    """The live path, on a database of its own with real commits and a connection pool: the
    background task runs beside requests, which the other tests' one shared connection cannot
    allow."""
    settings = Settings(
        data_dir=tmp_path, builtin_scorers=False, scoring_budget_seconds=0, background_scoring=True
    )
    engine = build_engine(settings)
    migrate.upgrade(engine)
    try:
        app = create_app(settings, engine=engine, plugins=[Plugin(Rudeness())])
        with app.state.writer_factory() as session:
            site, _ = sites.create_site(
                session, name="Live", origins=["https://live.example"], now=datetime.now(UTC)
            )
            moderation = ModerationSettings(
                score_thresholds={"toxicity": {"hold": 0.5, "reject": 0.9}}
            )
            session.add(SiteSettings(site_id=site.id, moderation=moderation.model_dump()))
            session.commit()
        with TestClient(app) as client:
            client.portal.call(app.state.rescoring.drain)
            thread = client.get(
                "/api/v1/threads",
                params={"url": "https://live.example/story", "title": "Budget"},
            )
            assert thread.status_code == 200, thread.text
            reader = reader_on(client, 27)
            posted = {
                text: reader.post(text, url="https://live.example/story").json()
                for text in ("A measured point", "A silly idea")
            }
            assert {body["status"] for body in posted.values()} == {"withheld"}
            client.portal.call(app.state.rescoring.drain)
            with app.state.reader_factory() as session:
                statuses = {
                    text: session.get_one(Comment, body["id"]).status
                    for text, body in posted.items()
                }
        assert statuses == {"A measured point": "approved", "A silly idea": "pending"}
    finally:
        engine.dispose()


def test_an_edit_is_scored_after_the_write_and_can_take_the_comment_back(
    engine: Engine,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    story: Any,
    db: Session,
    site: Any,
) -> None:
    _site_settings(db, site)
    settings = Settings(data_dir=tmp_path, builtin_scorers=False, background_scoring=False)
    for client in client_with(engine, session_factory, tmp_path, Rudeness(), settings=settings):
        reader = reader_on(client, 26)
        posted = reader.post("A measured point").json()
        assert posted["status"] == "approved"
        edited = reader.request(
            "PATCH", f"/api/v1/comments/{posted['id']}", json={"body": "An awful person"}
        )
        assert edited.status_code == 200, edited.text
        assert _settle(client) == 1
        assert _status(db, posted["id"]) == "rejected"
        # Each revision keeps its own scores.
        assert sorted(
            db.scalars(select(RevisionScore.value).where(RevisionScore.comment_id == posted["id"]))
        ) == [0.1, 0.95]
