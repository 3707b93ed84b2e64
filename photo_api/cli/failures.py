"""Failures an operator can act on, as the one line (or few lines) the command prints.

Only exception types of modules already imported are considered: a failure cannot come from
a module that was never loaded, and `photo-api --help` must not load them.
"""

from __future__ import annotations

import sys

EXIT_FAILED = 1
# As argparse: the command line or the settings are wrong.
EXIT_USAGE = 2


class CommandError(Exception):
    """A failure the operator can act on: printed as is (a line per problem), exit status 1."""


def _loaded(module: str, name: str) -> type[BaseException] | None:
    loaded = sys.modules.get(module)
    found = getattr(loaded, name, None) if loaded is not None else None
    return found if isinstance(found, type) and issubclass(found, BaseException) else None


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def explain(exc: BaseException) -> tuple[int, list[str]] | None:
    """Exit status and lines for a known kind of failure; None for a bug (keep its traceback)."""
    if isinstance(exc, CommandError):
        return EXIT_FAILED, str(exc).splitlines()
    config_error = _loaded("photo_api.config_sources", "ConfigError")
    if config_error is not None and isinstance(exc, config_error):
        return EXIT_USAGE, list(exc.problems)  # type: ignore[attr-defined]
    api_error = _loaded("photo_api.errors", "ApiError")
    if api_error is not None and isinstance(exc, api_error):
        return EXIT_FAILED, [str(exc.message)]  # type: ignore[attr-defined]
    storage_error = _loaded("photo_api.storage.base", "StorageError")
    if storage_error is not None and isinstance(exc, storage_error):
        return EXIT_FAILED, [f"storage: {_first_line(exc)}"]
    migration_error = _loaded("alembic.util.exc", "CommandError")
    if migration_error is not None and isinstance(exc, migration_error):
        return EXIT_FAILED, [f"migrations: {_first_line(exc)}"]
    database_error = _loaded("sqlalchemy.exc", "OperationalError")
    if database_error is not None and isinstance(exc, database_error):
        orig = getattr(exc, "orig", None) or exc
        return EXIT_FAILED, [f"database: {_first_line(orig)}"]
    if isinstance(exc, OSError) and exc.filename:
        return EXIT_FAILED, [f"{exc.filename}: {exc.strerror or exc}"]
    return None
