"""The data directory and SQLite's files are the owner's alone, and the server says when not."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from photo_api.cli import serving
from photo_api.config import load_settings
from photo_api.db import migrate
from photo_api.db.engine import make_engine
from tests.fixtures.net import free_port


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask (022), under which files are created readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("open_umask")
def test_data_directory_keys_and_database_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = load_settings(data_dir=data)
    assert mode(data) == 0o700
    assert mode(data / "secrets.json") == 0o600
    engine = make_engine(settings.resolved_database_url)
    try:
        migrate.upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE scratch (x INTEGER)"))
            connection.execute(text("INSERT INTO scratch VALUES (1)"))
            # While a connection is open, SQLite keeps its write-ahead log and shared memory.
            files = sorted(path.name for path in data.iterdir() if path.is_file())
            assert files == ["photo-api.db", "photo-api.db-shm", "photo-api.db-wal", "secrets.json"]
            for name in files:
                assert mode(data / name) == 0o600, name
    finally:
        engine.dispose()


@pytest.mark.usefixtures("open_umask")
def test_a_database_elsewhere_gets_a_private_directory(tmp_path: Path) -> None:
    database = tmp_path / "db" / "photos.sqlite"
    engine = make_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()
    assert mode(database.parent) == 0o700 and mode(database) == 0o600


def test_files_open_to_others_are_warned_about_at_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = load_settings(data_dir=data, port=free_port())
    engine = make_engine(settings.resolved_database_url)
    migrate.upgrade(engine)
    engine.dispose()
    assert serving.check_dependencies(settings) == []

    # As a data directory made before the server created it private, or a copied database.
    data.chmod(0o755)
    (data / "photo-api.db").chmod(0o644)
    warnings = serving.check_dependencies(settings)
    assert warnings == [
        f"{data} is open to other users of this machine (mode 0755): chmod 700 {data}",
        f"{data / 'photo-api.db'} is open to other users of this machine (mode 0644): "
        f"chmod 600 {data / 'photo-api.db'}",
    ]
