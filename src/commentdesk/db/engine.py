"""Engine construction: SQLite pragmas for durability and concurrency, a pool for PostgreSQL."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from commentdesk.db import memo
from commentdesk.moderation import throttle
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
        _serialize_sqlite_writers(engine)
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


def _serialize_sqlite_writers(engine: Engine) -> None:
    """Writers take the database's write lock up front (BEGIN IMMEDIATE) and, within this
    process, queue on a Python lock first.

    A deferred transaction that reads and then writes fails at once with "database is locked"
    when another writer got in between. And SQLite's own busy handler waits by sleeping and
    polling, so under load the lock sits idle while waiters sleep; a Python lock hands it over as
    soon as the holder's connection goes back to the pool.
    """
    write_lock = threading.Lock()

    def begin(connection: Any) -> None:
        if not connection.get_execution_options().get(_IMMEDIATE):
            connection.exec_driver_sql("BEGIN")
            return
        if not write_lock.acquire(timeout=WRITE_LOCK_TIMEOUT_SECONDS):
            raise OperationalError("BEGIN IMMEDIATE", None, TimeoutError("write lock timeout"))
        connection.info[_HOLDS_WRITE_LOCK] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            connection.info.pop(_HOLDS_WRITE_LOCK, None)
            write_lock.release()
            raise

    def checkin(dbapi_connection: Any, connection_record: Any) -> None:
        if connection_record is not None and connection_record.info.pop(_HOLDS_WRITE_LOCK, False):
            write_lock.release()

    event.listen(engine, "begin", begin)
    event.listen(engine.pool, "checkin", checkin)


WRITE_LOCK_TIMEOUT_SECONDS = 30.0
_HOLDS_WRITE_LOCK = "commentdesk_holds_write_lock"
_IMMEDIATE = "commentdesk_begin_immediate"


def build_session_factories(engine: Engine) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    """(reader, writer) session factories; the writer's SQLite transactions begin IMMEDIATE."""
    info = {memo.INFO_KEY: memo.new_memos(), throttle.INFO_KEY: throttle.PostThrottle()}
    reader = sessionmaker(bind=engine, expire_on_commit=False, info=info)
    writer = sessionmaker(
        bind=engine.execution_options(**{_IMMEDIATE: True}), expire_on_commit=False, info=info
    )
    return reader, writer
