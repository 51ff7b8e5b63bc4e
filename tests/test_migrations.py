"""Migrations match the models on every backend, and the app refuses an unmigrated database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from commentdesk.app import create_app
from commentdesk.db import migrate
from commentdesk.db.engine import build_engine
from commentdesk.errors import DatabaseNotMigrated
from commentdesk.settings import Settings


def test_models_and_migrations_do_not_drift(engine: Engine) -> None:
    migrate.check(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_app_refuses_to_start_on_an_unmigrated_database(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=None)
    with pytest.raises(DatabaseNotMigrated, match="commentdesk db upgrade"):
        create_app(settings, engine=build_engine(settings))
