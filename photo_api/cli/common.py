"""What the photo-api commands share: settings from --config, the server's database, tables."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from photo_api.cli.failures import CommandError
from photo_api.config import SECRETS_FILE, Settings, read_settings
from photo_api.db import migrate
from photo_api.db.engine import make_engine
from photo_api.db.session import Database, open_database
from photo_api.logging import configure_logging
from photo_api.ops.startup import (
    CONNECT_TIMEOUT_SECONDS,
    database_label,
    database_problem,
    sqlite_path,
)

__all__ = ["CommandError", "database", "require_database", "settings_of", "table"]


def settings_of(args: argparse.Namespace, *, secrets: bool = False, **overrides: Any) -> Settings:
    """The settings named by --config and the environment; nothing is written.

    secrets: the command needs the server's keys, which it must not invent.
    """
    settings = read_settings(args.config, given_by="command line", **overrides)
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    if secrets and settings.secrets is None:
        raise CommandError(
            f"no server secrets at {settings.data_dir / SECRETS_FILE}; pass --config "
            "(the server's settings)"
        )
    return settings


def require_database(settings: Settings) -> None:
    """Refuse to work where the server's database is not: a wrong --config must neither
    create an empty database nor fail on a missing table."""
    url = settings.resolved_database_url
    label = database_label(settings)
    path = sqlite_path(settings)
    if path is not None and not path.is_file():
        raise CommandError(f"no database at {path}; pass --config (the server's settings)")
    engine = make_engine(url, connect_timeout=CONNECT_TIMEOUT_SECONDS)
    try:
        revision = migrate.current_revision(engine)
        head = migrate.head_revision(engine)
    except SQLAlchemyError as exc:
        raise CommandError(f"database {label}: {database_problem(exc)}") from None
    finally:
        engine.dispose()
    if revision is None:
        raise CommandError(
            f"no photo-api tables in database {label}; pass --config (the server's "
            "settings), or create them with `photo-api migrate`"
        )
    if revision != head:
        raise CommandError(
            f"database {label} is at schema {revision}, this photo-api expects {head}: "
            "run `photo-api migrate` first"
        )


@contextmanager
def database(settings: Settings) -> Iterator[Database]:
    require_database(settings)
    db = open_database(settings)
    try:
        yield db
    finally:
        db.dispose()


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = [headers, ["-" * width for width in widths], *rows]
    return "\n".join(
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )
