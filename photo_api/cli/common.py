"""What the photo-api commands share: settings from --config, errors, tables."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from photo_api.config import Settings, load_settings
from photo_api.db.session import Database, open_database
from photo_api.logging import configure_logging


class CommandError(Exception):
    """A failure the operator can act on: printed as one line, exit status 1."""


def settings_of(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.config)
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    return settings


@contextmanager
def database(settings: Settings) -> Iterator[Database]:
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
