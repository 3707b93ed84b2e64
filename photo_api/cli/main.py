"""photo-api serve | migrate: the server's command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import structlog
import uvicorn

from photo_api.cli import admin as admin_commands
from photo_api.config import CONFIG_ENV, Settings, load_settings
from photo_api.db import migrate as migrations
from photo_api.db.engine import make_engine
from photo_api.db.session import open_database
from photo_api.logging import configure_logging
from photo_api.main import create_app
from photo_api.ops import identity

log = structlog.get_logger("photo_api")
# In-flight requests get this long to finish after SIGTERM/SIGINT.
GRACEFUL_SHUTDOWN_SECONDS = 30


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = load_settings(args.config, **overrides)
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    return settings


def _migrate(settings: Settings, revision: str = "head") -> None:
    engine = make_engine(settings.resolved_database_url)
    try:
        before = migrations.current_revision(engine)
        if revision.startswith("-") or revision == "base":
            migrations.downgrade(engine, revision)
        else:
            migrations.upgrade(engine, revision)
        after = migrations.current_revision(engine)
        log.info(
            "database schema", before=before, after=after, database=engine.url.render_as_string()
        )
    finally:
        engine.dispose()


def _same_secrets(settings: Settings) -> None:
    """Refuse to serve a database that other server secrets already serve."""
    db = open_database(settings)
    try:
        identity.check(db, settings)
    except identity.SecretsMismatch as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    finally:
        db.dispose()


def serve(args: argparse.Namespace) -> None:
    settings = _settings(args)
    if args.workers is not None:
        settings.workers = args.workers
    _migrate(settings)
    _same_secrets(settings)
    log.info(
        "serving",
        url=settings.base_url,
        hot_storage=settings.storage.hot,
        workers=settings.workers,
    )
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_config": None,
        "proxy_headers": True,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
    }
    if settings.workers == 1:
        uvicorn.Server(uvicorn.Config(create_app(settings), **options)).run()
        return
    # Worker processes start afresh and build the app from the environment: hand them the
    # settings file and this command line's settings that way.
    if args.config:
        os.environ[CONFIG_ENV] = str(Path(args.config).resolve())
    for name in ("host", "port"):
        if getattr(args, name) is not None:
            os.environ[f"PHOTO_API_{name.upper()}"] = str(getattr(args, name))
    uvicorn.run(
        "photo_api.main:create_app_from_env", factory=True, workers=settings.workers, **options
    )


def migrate(args: argparse.Namespace) -> None:
    _migrate(_settings(args), args.revision)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="photo-api", description=__doc__)
    parser.add_argument("--config", help="YAML settings file (also PHOTO_API_CONFIG)")
    commands = parser.add_subparsers(dest="command", required=True)

    serve_cmd = commands.add_parser("serve", help="apply migrations and start the server")
    serve_cmd.add_argument("--host")
    serve_cmd.add_argument("--port", type=int)
    serve_cmd.add_argument(
        "--workers", type=_positive, help="server processes on the port (default: the setting, 1)"
    )
    serve_cmd.set_defaults(func=serve)

    migrate_cmd = commands.add_parser("migrate", help="apply (or roll back) migrations")
    migrate_cmd.add_argument("--revision", default="head", help="target, e.g. head, -1, base")
    migrate_cmd.set_defaults(func=migrate, host=None, port=None, workers=None)

    admin_commands.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.func(args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
