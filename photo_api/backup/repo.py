"""The database side of backups: a consistent copy taken while servers write, and its load.

SQLite is copied page by page through its online backup API, in one step, so the copy is
one consistent state of the file. PostgreSQL is exported table by table inside a single
REPEATABLE READ, READ ONLY transaction (one snapshot for every table), as gzipped JSON lines
that restore loads through SQLAlchemy into a schema migrated to the backup's revision. The
export needs no client tools matching the server's version, and loads into SQLite too.

Tables are reflected from the database itself, not taken from the models: a backup is of
the schema it was taken at, whatever version of the code restores it.
"""

from __future__ import annotations

import base64
import gzip
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Connection, Engine, LargeBinary, MetaData, Table, select, text

EXPORT_FORMAT = "photo-api-export/1"
VERSION_TABLE = "alembic_version"
BATCH = 1000


def sqlite_snapshot(source: Path, target: Path) -> str | None:
    """Copy a live SQLite database (writers are not blocked: WAL) as one self-contained
    file; returns the copy's schema revision."""
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(target)
        try:
            # pages=-1: all in one step, so no write can slip in between pages.
            reader.backup(copy, pages=-1)
            copy.execute("PRAGMA journal_mode=DELETE")
            return _sqlite_revision(copy)
        finally:
            copy.close()
    finally:
        reader.close()


def _sqlite_revision(connection: sqlite3.Connection) -> str | None:
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (VERSION_TABLE,)
    ).fetchone()
    if found is None:
        return None
    row = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
    return None if row is None else str(row[0])


def sqlite_restore(source: Path, target: Path) -> None:
    """The backup's file into place as the server's database (the target must be empty)."""
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(target)
        try:
            reader.backup(copy, pages=-1)
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise ValueError(f"{target}: the restored database fails its integrity check")
        finally:
            copy.close()
    finally:
        reader.close()


def revision(connection: Connection) -> str | None:
    if not connection.dialect.has_table(connection, VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def _tables(connection: Connection) -> list[Table]:
    metadata = MetaData()
    metadata.reflect(bind=connection)
    return [table for table in metadata.sorted_tables if table.name != VERSION_TABLE]


def _jsonable(value: Any, binary: bool) -> Any:
    if binary and value is not None:
        return base64.b64encode(bytes(value)).decode()
    return value


def export(engine: Engine, target: Path) -> str | None:
    """Every table's rows, from one snapshot, into `target` (gzipped JSON lines); returns
    the schema revision of that snapshot."""
    snapshot = engine.execution_options(isolation_level="REPEATABLE READ")
    with snapshot.connect() as connection, gzip.open(target, "wt", encoding="utf-8") as out:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET TRANSACTION READ ONLY"))
        at = revision(connection)
        out.write(json.dumps({"format": EXPORT_FORMAT, "revision": at}) + "\n")
        for table in _tables(connection):
            columns = [column.name for column in table.columns]
            binary = [isinstance(column.type, LargeBinary) for column in table.columns]
            binary_names = [name for name, is_bin in zip(columns, binary, strict=True) if is_bin]
            header = {"table": table.name, "columns": columns, "binary": binary_names}
            out.write(json.dumps(header) + "\n")
            rows = connection.execution_options(yield_per=BATCH).execute(select(table))
            for row in rows:
                values = [_jsonable(v, b) for v, b in zip(row, binary, strict=True)]
                out.write(json.dumps(values, separators=(",", ":")) + "\n")
        connection.rollback()
    return at


def exported_rows(source: Path) -> Iterator[tuple[str, list[str], list[dict[str, Any]]]]:
    """Batches of rows of an export: (table, columns, rows as dicts)."""
    with gzip.open(source, "rt", encoding="utf-8") as lines:
        first = json.loads(next(lines))
        if first.get("format") != EXPORT_FORMAT:
            raise ValueError(f"{source} is not a photo-api export")
        table: str | None = None
        columns: list[str] = []
        binary: set[str] = set()
        batch: list[dict[str, Any]] = []
        for line in lines:
            item = json.loads(line)
            if isinstance(item, dict):
                if table is not None and batch:
                    yield table, columns, batch
                table, columns, batch = item["table"], item["columns"], []
                binary = set(item["binary"])
                continue
            row = dict(zip(columns, item, strict=True))
            for name in binary:
                if row[name] is not None:
                    row[name] = base64.b64decode(row[name])
            batch.append(row)
            if len(batch) >= BATCH and table is not None:
                yield table, columns, batch
                batch = []
        if table is not None and batch:
            yield table, columns, batch


def database_rows(engine: Engine) -> Iterator[tuple[str, list[str], list[dict[str, Any]]]]:
    """Batches of rows of a database (a SQLite backup loaded into PostgreSQL, say)."""
    with engine.connect() as connection:
        for table in _tables(connection):
            columns = [column.name for column in table.columns]
            rows = connection.execution_options(yield_per=BATCH).execute(select(table))
            for part in rows.partitions(BATCH):
                yield table.name, columns, [dict(row._mapping) for row in part]


def is_empty(engine: Engine) -> bool:
    """No tables at all: a database restore may fill."""
    with engine.connect() as connection:
        metadata = MetaData()
        metadata.reflect(bind=connection)
        return not metadata.tables


def load(engine: Engine, batches: Iterator[tuple[str, list[str], list[dict[str, Any]]]]) -> int:
    """Insert the rows into the (migrated, empty) tables, in one transaction; returns the
    number of rows. PostgreSQL's id sequences are moved past the loaded ids."""
    loaded = 0
    with engine.begin() as connection:
        tables = {table.name: table for table in _tables(connection)}
        for table in tables.values():
            for column in table.columns:
                if isinstance(column.type, JSON):
                    # A SQL NULL stays NULL (JSON would store the JSON value null).
                    column.type = JSON(none_as_null=True)
        for name, columns, rows in batches:
            target = tables.get(name)
            if target is None:
                raise ValueError(f"the backup has a table {name!r} this schema lacks")
            missing = set(columns) - set(target.columns.keys())
            if missing:
                raise ValueError(f"table {name!r} lacks the backup's columns {sorted(missing)}")
            connection.execute(target.insert(), rows)
            loaded += len(rows)
        if connection.dialect.name == "postgresql":
            _advance_sequences(connection, tables.values())
    return loaded


def _advance_sequences(connection: Connection, tables: Any) -> None:
    for table in tables:
        for column in table.primary_key.columns:
            sequence = connection.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            ).scalar()
            if sequence is not None:
                connection.execute(
                    text(
                        f'SELECT setval(:sequence, COALESCE(MAX("{column.name}"), 1), '
                        f'MAX("{column.name}") IS NOT NULL) FROM "{table.name}"'
                    ),
                    {"sequence": sequence},
                )
