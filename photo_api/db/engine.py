"""Engines for SQLite (the zero-setup default) and PostgreSQL."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

# Readers never block on SQLite's WAL; writers wait this long for the write lock.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


# Connections beyond the request slots: the background jobs' own transactions.
JOB_CONNECTIONS = 4


def make_engine(url: str, *, slots: int = 8, connect_timeout: float | None = None) -> Engine:
    """An engine whose pool never makes a request wait: one connection per request slot and
    per job, and as many again for the short side transactions requests open."""
    parsed = make_url(url)
    pool: dict[str, Any] = {
        "pool_size": slots + JOB_CONNECTIONS,
        "max_overflow": slots,
        # JSON columns (magic metadata) are read a few thousand at a time by diff pages.
        "json_deserializer": orjson.loads,
        "json_serializer": _json_text,
    }
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, pool)
    connect = {} if connect_timeout is None else {"connect_timeout": connect_timeout}
    return create_engine(url, pool_pre_ping=True, connect_args=connect, **pool)


def create_private(path: Path) -> None:
    """Create `path` as an empty database file only its owner may read (0600), unless it
    exists. SQLite would create it 0644; its -wal and -shm files take the database file's mode.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _sqlite_engine(url: str, database: str | None, pool: dict[str, Any]) -> Engine:
    if database and database != ":memory:":
        create_private(Path(database))
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        **pool,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A transaction that will write takes the write lock up front: upgrading a read
        # transaction later fails at once with "database is locked" instead of waiting.
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def writer(engine: Engine) -> Engine:
    """The engine to use for a transaction that writes."""
    return engine.execution_options(sqlite_begin="IMMEDIATE") if is_sqlite(engine) else engine
