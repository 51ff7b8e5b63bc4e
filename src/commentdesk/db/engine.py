"""Engine construction: SQLite pragmas for durability and concurrency, a pool for PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from commentdesk.settings import Settings


def build_engine(settings: Settings) -> Engine:
    """The engine for `settings`; creates the data directory when the database is a SQLite file."""
    url = make_url(settings.resolved_database_url())
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=settings.database_pool_size,
            max_overflow=10,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url,
        pool_size=settings.database_pool_size,
        max_overflow=10,
        pool_pre_ping=True,
    )


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers proceed during a write; FULL sync makes an acknowledged commit survive
    # power loss and kill -9; foreign keys are off in SQLite unless asked for.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # A transaction that will write takes the write lock up front: a deferred one that reads
    # first and then writes fails at once with "database is locked" when another writer got in.
    if connection.get_execution_options().get(_IMMEDIATE):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


_IMMEDIATE = "commentdesk_begin_immediate"


def build_session_factories(engine: Engine) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    """(reader, writer) session factories; the writer's SQLite transactions begin IMMEDIATE."""
    reader = sessionmaker(bind=engine, expire_on_commit=False)
    writer = sessionmaker(
        bind=engine.execution_options(**{_IMMEDIATE: True}), expire_on_commit=False
    )
    return reader, writer
