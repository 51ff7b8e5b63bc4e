"""What the scorers see of a posted comment's surroundings, and the posting path's memo of it: a
top-level comment's context is read once per story and reused, a reply's is always read, and a
story's change is seen by the very next comment."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from commentdesk.moderation import context
from commentdesk.scoring.protocol import Score, ScoringContext
from commentdesk.settings import Settings
from commentdesk.sites.models import Site
from tests.conftest import ORIGIN, STORY_URL
from tests.web.test_scorers import client_with, reader_on

OTHER_URL = f"{ORIGIN}/2026/11/28/ferry-timetable"


class Recorder:
    """Keeps the context of every comment it scores."""

    name = "recorder"

    def __init__(self) -> None:
        self.contexts: list[ScoringContext] = []

    def score(self, text: str, context: ScoringContext) -> list[Score]:
        self.contexts.append(context)
        return [Score("toxicity", 0.1, "recorded")]


def test_the_context_is_remembered_per_story_and_a_story_change_forgets_it(
    engine: Engine,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    site_with_key: tuple[Site, str],
    story: Any,
) -> None:
    recorder = Recorder()
    _, api_key = site_with_key
    cms = {"X-API-Key": api_key}
    # In this process, so the recorder's list is the one the test reads.
    in_threads = Settings(
        data_dir=tmp_path, builtin_scorers=False, background_scoring=False, scoring_processes=0
    )
    for client in client_with(engine, session_factory, tmp_path, recorder, settings=in_threads):
        client.put(
            "/api/v1/stories",
            json={"url": OTHER_URL, "title": "Ferry timetable cut", "body_text": "Fewer sailings."},
            headers=cms,
        ).raise_for_status()
        reader = reader_on(client, 7)

        def remembered(parent_id: int | None = None, token: str = reader.token) -> Any:
            return context.remembered_context(
                session_factory, url=STORY_URL, token=token, parent_id=parent_id, now=now()
            )

        assert remembered() is None  # nothing read yet
        first = reader.post("The budget leaves the libraries short.")
        assert first.status_code == 201
        read = recorder.contexts[-1]
        assert read.story_title == "Budget"
        assert read.other_stories == (("Ferry timetable cut", "Fewer sailings."),)
        assert remembered() == read
        # Replies read their parent every time; a token this process has not seen is not trusted.
        assert remembered(parent_id=first.json()["id"]) is None
        assert remembered(token="not-a-token") is None
        assert context.knows_reader(session_factory, reader.token, now())
        assert not context.knows_reader(session_factory, None, now())
        assert not context.knows_reader(session_factory, "not-a-token", now())

        reader.post("And the parks too.").raise_for_status()
        assert recorder.contexts[-1] is read  # reused, not read again
        reply = reader.post("Which ones?", parent_id=first.json()["id"])
        assert reply.status_code == 201
        assert recorder.contexts[-1].parent_text == "The budget leaves the libraries short."

        # The CMS sends the story's text: the next comment is scored against it.
        client.put(
            "/api/v1/stories",
            json={"url": STORY_URL, "title": "Budget", "body_text": "The council cut libraries."},
            headers=cms,
        ).raise_for_status()
        assert remembered() is None
        reader.post("Libraries matter.").raise_for_status()
        assert recorder.contexts[-1].story_text == "The council cut libraries."
        # A closed story leaves the other stories' contexts too.
        client.put(
            "/api/v1/stories",
            json={"url": OTHER_URL, "title": "Ferry", "is_closed": True},
            headers=cms,
        ).raise_for_status()
        reader.post("Still about libraries.").raise_for_status()
        assert recorder.contexts[-1].other_stories == ()


def now() -> datetime:
    return datetime.now(UTC)
