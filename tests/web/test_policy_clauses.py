"""Policy clauses through the API and the desk, with fake relevance and toxicity scorers (the
real relevance model is not needed): an off-topic comment is published with a machine flag, a
toxic one held, each citing its clause to the moderator, the author and the nudge."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from commentdesk.accounts.models import Role
from commentdesk.moderation.models import Flag, FlagSource, FlagStatus, SiteSettings
from commentdesk.moderation.settings import ModerationSettings
from commentdesk.scoring.protocol import Score, ScoringContext
from commentdesk.web.dashboard import settings_form
from tests.conftest import STORY_URL
from tests.web.test_desk import desk_for, make_staff
from tests.web.test_pipeline import sign_in_as
from tests.web.test_scorers import client_with, reader_on

OFF_TOPIC = "Who else watched the football final last night? What a match."
TOXIC = "Only an idiot would write this about the budget."
ON_TOPIC = "The library hours in this budget matter more than the parking fees."
STORY_CLAUSE = "We welcome comments that advance the story through relevant opinion"


class FakeRelevance:
    """Stands in for the relevance model: football is off this budget story."""

    name = "fake-relevance"

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        value = 0.05 if "football" in text else 0.8
        return [Score("relevance", value, f"fake relevance {value}")]


class FakeToxicity:
    """Stands in for the toxicity model: "idiot" is an insult."""

    name = "fake-toxicity"

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        value = 0.95 if "idiot" in text else 0.02
        return [Score("toxicity", value, f"fake toxicity {value}")]


@pytest.fixture
def flag_off_topic(db: Session, site: Any) -> None:
    """The site keeps the default thresholds and turns on the relevance flag."""
    row = db.get(SiteSettings, site.id)
    assert row is not None
    # A new site's defaults (tests/conftest.py clears them), with relevance flagging.
    thresholds = {
        **ModerationSettings().model_dump(mode="json")["score_thresholds"],
        "relevance": {"flag": 0.2, "below": True},
    }
    row.moderation = {**row.moderation, "score_thresholds": thresholds}
    site.settings_version += 1
    db.commit()


def machine_flags(db: Session, comment_id: int) -> list[str]:
    db.expire_all()
    return list(
        db.scalars(
            select(Flag.reason).where(
                Flag.comment_id == comment_id,
                Flag.source == FlagSource.SYSTEM,
                Flag.status == FlagStatus.OPEN,
            )
        )
    )


def test_an_off_topic_comment_is_published_with_a_flag_citing_the_story_clause(
    engine: Engine,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    story: Any,
    db: Session,
    now: datetime,
    flag_off_topic: None,
) -> None:
    for client in client_with(engine, session_factory, tmp_path, FakeRelevance(), FakeToxicity()):
        author = reader_on(client, 21)
        nudge = author.request(
            "POST", "/api/v1/comments/check", json={"story_url": STORY_URL, "body": OFF_TOPIC}
        ).json()
        assert nudge["outcome"] == "approve"
        [issue] = nudge["issues"]
        assert issue["code"] == "off_topic" and issue["clause"]["key"] == "on-topic"
        assert issue["clause"]["text"].startswith(STORY_CLAUSE)
        assert STORY_CLAUSE in nudge["messages"][0]
        on_topic = author.request(
            "POST", "/api/v1/comments/check", json={"story_url": STORY_URL, "body": ON_TOPIC}
        ).json()
        assert on_topic == {"outcome": "approve", "messages": [], "issues": []}

        posted = author.post(OFF_TOPIC)
        assert posted.status_code == 201
        comment = posted.json()
        assert comment["status"] == "approved"
        assert comment["reason"].startswith(f"Our policy: “{STORY_CLAUSE}")
        assert "something other than this story" in comment["reason"]
        assert machine_flags(db, comment["id"]) == ["off_topic"]
        assert author.post(ON_TOPIC).json()["status"] == "approved"

        moderator = sign_in_as(client, db, now, Role.MODERATOR)
        record = moderator.request("GET", f"/api/v1/moderation/comments/{comment['id']}").json()
        [reason] = record["item"]["reasons"]
        assert reason["code"] == "off_topic" and reason["detail"]["threshold"] == "flag"
        assert reason["detail"]["clause"] == "on-topic"
        assert reason["detail"]["clause_text"].startswith(STORY_CLAUSE)
        queue = moderator.request(
            "GET", "/api/v1/moderation/queues/unmoderated", params={"order": "priority"}
        ).json()
        first = queue["items"][0]
        assert first["comment"]["id"] == comment["id"] and "off topic" in first["why"]

        make_staff(db, now, Role.MODERATOR, "clauses-desk@example.org")
        page = desk_for(client, "clauses-desk@example.org").get(f"/desk/comments/{comment['id']}")
        assert page.status_code == 200
        assert 'data-clause="on-topic"' in page.text and STORY_CLAUSE in page.text


def test_a_toxic_comment_is_held_citing_the_civility_clause(
    engine: Engine,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    story: Any,
    db: Session,
    now: datetime,
    flag_off_topic: None,
) -> None:
    for client in client_with(engine, session_factory, tmp_path, FakeRelevance(), FakeToxicity()):
        author = reader_on(client, 22)
        nudge = author.request(
            "POST", "/api/v1/comments/check", json={"story_url": STORY_URL, "body": TOXIC}
        ).json()
        assert nudge["outcome"] == "hold"
        assert [issue["clause"]["key"] for issue in nudge["issues"]] == ["civility"]
        held = author.post(TOXIC).json()
        assert held["status"] == "pending"
        assert held["reason"].startswith("Our policy: “Be civil")
        # Held comments wait in the pending queue; only a flag leaves a machine flag.
        assert machine_flags(db, held["id"]) == []
        moderator = sign_in_as(client, db, now, Role.MODERATOR)
        record = moderator.request("GET", f"/api/v1/moderation/comments/{held['id']}").json()
        [reason] = record["item"]["reasons"]
        assert reason["code"] == "toxicity" and reason["detail"]["clause"] == "civility"
        assert reason["detail"]["threshold"] == "hold"


def test_contradictory_settings_are_refused_and_a_sites_own_clauses_are_cited(
    engine: Engine,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    story: Any,
    site: Any,
    db: Session,
    now: datetime,
    flag_off_topic: None,
) -> None:
    for client in client_with(engine, session_factory, tmp_path, FakeRelevance()):
        admin = sign_in_as(client, db, now, Role.ADMIN)
        url = f"/api/v1/moderation/sites/{site.id}/settings"
        current = admin.request("GET", url).json()
        assert [clause["key"] for clause in current["policy_clauses"]] == [
            "on-topic",
            "civility",
            "no-spam",
        ]
        contradictory = {"relevance": {"flag": 0.1, "hold": 0.3, "below": True}}
        refused = admin.request("PUT", url, json={**current, "score_thresholds": contradictory})
        assert refused.status_code == 422
        error = refused.json()["error"]
        assert error["code"] == "invalid_input"
        assert "hold (0.3) must be at or below flag (0.1)" in error["message"]
        doubled = [
            {"key": "a", "text": "One.", "checks": ["relevance"]},
            {"key": "b", "text": "Two.", "checks": ["relevance"]},
        ]
        refused = admin.request("PUT", url, json={**current, "policy_clauses": doubled})
        assert refused.status_code == 422
        assert refused.json()["error"]["code"] == "invalid_input"
        assert (
            "the check 'relevance' is in clauses 'a' and 'b'" in refused.json()["error"]["message"]
        )

        own = [{"key": "stay", "text": "Keep to the story.", "checks": ["relevance"]}]
        saved = admin.request("PUT", url, json={**current, "policy_clauses": own})
        assert saved.status_code == 200, saved.text
        posted = reader_on(client, 23).post(OFF_TOPIC).json()
        assert posted["status"] == "approved"
        assert posted["reason"].startswith("Our policy: “Keep to the story”.")


def test_an_admin_edits_the_clauses_on_the_desk_and_errors_keep_the_rows(
    engine: Engine,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    story: Any,
    site: Any,
    db: Session,
    now: datetime,
    flag_off_topic: None,
) -> None:
    for client in client_with(engine, session_factory, tmp_path, FakeRelevance()):
        make_staff(db, now, Role.ADMIN, "clauses-admin@example.org")
        desk = desk_for(client, "clauses-admin@example.org")
        page = desk.get(f"/desk/sites/{site.id}/settings").text
        assert 'name="policy_clauses.0.key" value="on-topic"' in page
        assert 'name="policy_clauses.0.check.relevance" type="checkbox" value="on" checked' in page
        base = {
            field.name: field.value
            for field in settings_form.fields(ModerationSettings())
            if field.kind != "clauses"
        }
        clash = {
            **base,
            "policy_clauses.0.key": "stay",
            "policy_clauses.0.text": "Stay with the story, please.",
            "policy_clauses.0.check.relevance": "on",
            "policy_clauses.1.key": "stay",
            "policy_clauses.1.text": "Typed but refused.",
            "score_thresholds": '{"relevance": {"flag": 0.2, "below": true}}',
        }
        refused = desk.post(f"/desk/sites/{site.id}/settings", clash, as_json=False)
        assert refused.status_code == 422
        assert "two policy clauses have the key" in refused.text
        assert "Typed but refused." in refused.text

        saved = desk.post(
            f"/desk/sites/{site.id}/settings", {**clash, "policy_clauses.1.key": "other"}
        )
        assert saved.status_code == 200, saved.text[:2000]
        posted = reader_on(client, 24).post(OFF_TOPIC).json()
        assert posted["reason"].startswith("Our policy: “Stay with the story, please”.")
