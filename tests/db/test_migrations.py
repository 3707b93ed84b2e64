"""The same migrations build, match and tear down the schema on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

import photo_api.models  # noqa: F401
from photo_api.db import migrate
from photo_api.db.base import FIRST_ID, Base
from photo_api.db.engine import make_engine
from tests.fixtures.databases import DATABASES, database_url


@pytest.fixture(params=DATABASES)
def engine(request: pytest.FixtureRequest, tmp_path: Path):
    engine = make_engine(database_url(request.param, request, tmp_path))
    yield engine
    engine.dispose()


def tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_matches_models_and_downgrade_removes_everything(engine) -> None:
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    assert tables(engine) == set(Base.metadata.tables)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []

    migrate.downgrade(engine, "base")
    assert tables(engine) == set()
    migrate.upgrade(engine)
    assert tables(engine) == set(Base.metadata.tables)


def test_first_user_gets_museums_first_id(engine) -> None:
    migrate.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (email, created_at, is_two_factor_enabled, email_mfa) "
                "VALUES ('a@example.org', 1, false, false)"
            )
        )
        ids = connection.execute(text("SELECT id FROM users")).scalars().all()
    assert ids == [FIRST_ID]
