"""Test fixtures: a real database per backend (SQLite file always, PostgreSQL when
COMMENTDESK_TEST_DATABASE_URL is set), migrated with Alembic once, each test inside a transaction
that is rolled back at the end."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from commentdesk.app import create_app
from commentdesk.db import memo, migrate
from commentdesk.db.engine import build_engine
from commentdesk.db.writer import WriteQueue
from commentdesk.moderation import throttle
from commentdesk.moderation.models import SiteSettings
from commentdesk.moderation.settings import ModerationSettings
from commentdesk.settings import Settings
from commentdesk.sites import service as sites
from commentdesk.sites.models import Site

# No score thresholds either: tests that want the assistant's verdict set their own, so no test
# depends on how a model happens to read "Comment 12".
RELAXED = ModerationSettings(rate_limit_count=1000, repeat_window_seconds=0, score_thresholds={})
PG_URL = os.environ.get("COMMENTDESK_TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
ORIGIN = "https://news.example"
STORY_URL = f"{ORIGIN}/2026/11/28/council-budget"


def pytest_report_header(config: pytest.Config) -> str:
    where = f" ({make_url(PG_URL).render_as_string(hide_password=True)})" if PG_URL else ""
    return f"commentdesk database backends: {', '.join(BACKENDS)}{where}"


@pytest.fixture(scope="session", params=BACKENDS)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if request.param == "sqlite":
        data_dir = tmp_path_factory.mktemp("sqlite")
        built = build_engine(Settings(data_dir=data_dir, database_url=None))
        migrate.upgrade(built)
        yield built
        built.dispose()
        return
    assert PG_URL is not None
    name = f"commentdesk_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    built = build_engine(Settings(database_url=url))
    try:
        migrate.upgrade(built)
        yield built
    finally:
        built.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def backend(engine: Engine) -> str:
    return engine.dialect.name


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=connection,
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
        info={memo.INFO_KEY: memo.new_memos(), throttle.INFO_KEY: throttle.PostThrottle()},
    )


@pytest.fixture
def db(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


@pytest.fixture
def app(engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path) -> FastAPI:
    return bound_app(engine, session_factory, data_dir=tmp_path)


def bound_app(engine: Engine, session_factory: sessionmaker[Session], **settings: Any) -> FastAPI:
    """An app whose every session is the test's transaction-bound one."""
    # No background scorer: its own reads would share the test's one connection with requests.
    # Scorers in threads unless a test asks for a scoring process (test_assistant does): a
    # child per app would load the models again for every test.
    settings.setdefault("scoring_processes", 0)
    application = create_app(Settings(background_scoring=False, **settings), engine=engine)
    application.state.reader_factory = session_factory
    application.state.writer_factory = session_factory
    application.state.write_queue = WriteQueue(session_factory)
    application.state.dispatcher.attach(session_factory)
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def site_with_key(db: Session, now: datetime) -> tuple[Site, str]:
    site, api_key = sites.create_site(
        db,
        name="The Example News",
        slug="example-news",
        origins=[ORIGIN],
        now=now,
        sso_secret="s3cret-for-hs256-tokens-at-least-32-bytes",
    )
    # Tests post many comments quickly from one reader: no rate limit or repeat check unless a
    # test sets them (tests/web/test_pipeline.py does).
    db.add(SiteSettings(site_id=site.id, moderation=RELAXED.model_dump(mode="json")))
    db.commit()
    return site, api_key


@pytest.fixture
def site(site_with_key: tuple[Site, str]) -> Site:
    return site_with_key[0]


class Reader:
    """A signed-in reader driving the API through the in-process client."""

    def __init__(self, client: TestClient, token: str, account: dict[str, Any]) -> None:
        self.client = client
        self.token = token
        self.account = account
        self.headers = {"Authorization": f"Bearer {token}"}

    def post(self, body: str, parent_id: int | None = None, url: str = STORY_URL) -> Any:
        payload: dict[str, Any] = {"story_url": url, "body": body}
        if parent_id is not None:
            payload["parent_id"] = parent_id
        return self.client.post("/api/v1/comments", json=payload, headers=self.headers)

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.client.request(method, path, headers=self.headers, **kwargs)


@pytest.fixture
def make_reader(client: TestClient) -> Any:
    counter = iter(range(1, 10_000))

    def make(name: str | None = None) -> Reader:
        number = next(counter)
        response = client.post(
            "/api/v1/auth/register",
            json={
                "email": f"reader{number}@example.org",
                "password": "correct horse battery",
                "name": name or f"Reader {number}",
            },
        )
        assert response.status_code == 201, response.text
        body = response.json()
        return Reader(client, body["token"], body["account"])

    return make


@pytest.fixture
def story(client: TestClient, site: Site) -> dict[str, Any]:
    response = client.get("/api/v1/threads", params={"url": STORY_URL, "title": "Budget"})
    assert response.status_code == 200, response.text
    story: dict[str, Any] = response.json()["story"]
    return story
