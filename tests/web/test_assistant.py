"""The built-in moderation assistant through the API: every comment is scored on posting, the
scores stay with the comment's revision, a toxic comment is held at the site's threshold with
the reason shown to moderators, and the desk draws the scores."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from commentdesk.accounts.models import Role
from commentdesk.moderation.models import Flag, SiteSettings
from commentdesk.scoring.embedding import EmbeddingKind
from commentdesk.sites.models import Site
from commentdesk.stories.models import Story
from tests.conftest import STORY_URL, bound_app
from tests.web.test_desk import desk_for, make_staff
from tests.web.test_pipeline import sign_in_as


@pytest.fixture(params=list(EmbeddingKind), ids=str)
def app(
    request: pytest.FixtureRequest,
    engine: Engine,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
) -> FastAPI:
    """Every test here runs with either embedding (COMMENTDESK_ASSISTANT_EMBEDDING) and the
    models trained for it: the static kind as a server runs it by default, in a scoring
    process of its own (COMMENTDESK_SCORING_PROCESSES=1), the transformer in the server's own
    threads, so both ways are tested."""
    in_a_process = request.param is EmbeddingKind.STATIC
    return bound_app(
        engine,
        session_factory,
        data_dir=tmp_path,
        assistant_embedding=request.param,
        scoring_processes=1 if in_a_process else 0,
    )


ABUSE = "You are a pathetic idiot and a moron, shut up."
CIVIL = "Thanks for covering the library budget; the weekend hours matter most to me."


def hold_toxic_comments(db: Session, site: Site) -> None:
    row = db.get(SiteSettings, site.id)
    assert row is not None
    row.moderation = {
        **row.moderation,
        "score_thresholds": {"toxicity": {"hold": 0.8}, "threat": {"hold": 0.7}},
    }
    site.settings_version += 1
    db.commit()


def test_a_toxic_comment_is_held_with_its_reasons_and_a_civil_one_published(
    make_reader: Any, client: TestClient, db: Session, now: datetime, site: Site, story: Any
) -> None:
    runner = client.app.state.scoring  # type: ignore[attr-defined]
    if runner.processes:  # the static kind's run: the four scorers are in one child process
        assert [process.names for process in runner.processes] == [runner.names]
        assert runner.processes[0].pid not in (None, os.getpid())
    hold_toxic_comments(db, site)
    author = make_reader()
    civil = author.post(CIVIL).json()
    assert civil["status"] == "approved"
    held = author.post(ABUSE).json()
    assert held["status"] == "pending"
    # The author is told which clause of the site's policy it may break (the civility one).
    assert held["reason"].startswith("Our policy: “Be civil")
    assert held["reason"].endswith("may break our policy; a moderator will look at it.")

    moderator = sign_in_as(client, db, now, Role.MODERATOR)
    record = moderator.request("GET", f"/api/v1/moderation/comments/{held['id']}").json()
    scores = {score["name"]: score for score in record["scores"]}
    assert set(scores) == {
        "toxicity",
        "severe_toxicity",
        "obscenity",
        "threat",
        "insult",
        "identity_attack",
        "spam",
        "relevance",
        "constructiveness",
    }
    assert scores["toxicity"]["value"] >= 0.8
    assert "idiot" in scores["toxicity"]["explanation"]
    reasons = record["item"]["reasons"]
    assert reasons[0]["code"] == "toxicity" and "idiot" in reasons[0]["message"]
    queue = moderator.request("GET", "/api/v1/moderation/queues/pending").json()
    assert held["id"] in [item["comment"]["id"] for item in queue["items"]]
    calm = moderator.request("GET", f"/api/v1/moderation/comments/{civil['id']}").json()
    harms = {"relevance", "constructiveness"}
    assert max(score["value"] for score in calm["scores"] if score["name"] not in harms) < 0.5


BUDGET_TEXT = (
    "The city council approved a budget that keeps all four branch libraries open on "
    "Sundays. The cost is covered by higher parking fees in the town centre, which shop "
    "owners say will keep customers away. The vote was seven to four."
)
OTHER_STORIES = {
    "United sign a record striker": "The football club paid a record fee for a striker who "
    "scored twenty goals last season; the manager expects him to start on Saturday.",
    "Floods close the riverside road": "Heavy rain flooded the riverside road and three "
    "shops on the quay; the council opened a rest centre in the school hall.",
}


def test_the_real_assistant_flags_an_off_topic_comment_and_cites_the_clause(
    make_reader: Any, client: TestClient, db: Session, now: datetime, site: Site, story: Any
) -> None:
    row = db.get(SiteSettings, site.id)
    assert row is not None
    row.moderation = {
        **row.moderation,
        "score_thresholds": {"relevance": {"flag": 0.2, "below": True}},
    }
    site.settings_version += 1
    found = db.get(Story, story["id"])
    assert found is not None
    found.body_text = BUDGET_TEXT
    for number, (title, text) in enumerate(OTHER_STORIES.items()):
        db.add(
            Story(
                site_id=site.id,
                url=f"{STORY_URL}-other-{number}",
                title=title,
                body_text=text,
                created_at=now,
                updated_at=now,
            )
        )
    db.commit()
    author = make_reader()
    on_topic = author.post(
        "Raising parking fees to pay for library hours will hurt the shops in the centre."
    ).json()
    assert on_topic["status"] == "approved" and on_topic["reason"] is None
    off_topic = author.post(
        "What a signing! Twenty goals last season, he will start for United on Saturday."
    ).json()
    # Flagged, not held: it is published, and its author is told which clause it may break.
    assert off_topic["status"] == "approved"
    assert off_topic["reason"].startswith("Our policy: “We welcome comments that advance")

    moderator = sign_in_as(client, db, now, Role.MODERATOR)
    record = moderator.request("GET", f"/api/v1/moderation/comments/{off_topic['id']}").json()
    relevance = next(score for score in record["scores"] if score["name"] == "relevance")
    assert relevance["value"] <= 0.2
    assert relevance["explanation"] == (
        "Closer to the story 'United sign a record striker' than to this one."
    )
    flags = db.scalars(select(Flag.reason).where(Flag.comment_id == off_topic["id"])).all()
    assert flags == ["off_topic"]
    kept = moderator.request("GET", f"/api/v1/moderation/comments/{on_topic['id']}").json()
    assert next(s for s in kept["scores"] if s["name"] == "relevance")["value"] > 0.5


def test_the_desk_draws_the_assistants_scores(
    make_reader: Any, client: TestClient, db: Session, now: datetime, site: Site, story: Any
) -> None:
    comment = make_reader().post(ABUSE).json()
    make_staff(db, now, Role.MODERATOR, "desk-scores@example.org")
    page = desk_for(client, "desk-scores@example.org").get(f"/desk/comments/{comment['id']}")
    assert page.status_code == 200
    assert "The assistant&#39;s reading" in page.text or "The assistant's reading" in page.text
    assert 'aria-label="toxicity ' in page.text and "Likely toxic" in page.text


def test_the_desk_charts_the_sites_score_distributions(
    make_reader: Any, client: TestClient, db: Session, now: datetime, site: Site, story: Any
) -> None:
    make_staff(db, now, Role.MODERATOR, "desk-charts@example.org")
    desk = desk_for(client, "desk-charts@example.org")
    empty = desk.get(f"/desk/sites/{site.id}/assistant")
    assert empty.status_code == 200 and 'data-testid="no-scores"' in empty.text
    reader = make_reader()
    for text in (CIVIL, ABUSE, "The parking figures look low to me."):
        assert reader.post(text).status_code == 201
    page = desk.get(f"/desk/sites/{site.id}/assistant").text
    assert 'data-testid="histogram-toxicity"' in page and "(3 scores)" in page
    # The chart's text alternative gives every bin's count: two low, one high.
    label = page.split('data-testid="histogram-toxicity"')[1].split('aria-label="')[1].split('"')[0]
    counts = [int(part.rsplit(": ", 1)[1]) for part in label.split(": ", 1)[1].split("; ")]
    assert sum(counts) == 3 and sum(counts[:5]) == 2 and sum(counts[8:]) == 1
