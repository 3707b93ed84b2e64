"""photo-api serve | migrate | admin …: the server's command line.

Commands import what they need when they run: `photo-api --help` loads no web app.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from photo_api.cli import admin_parser

if TYPE_CHECKING:
    from photo_api.config import Settings

EXIT_INTERRUPTED = 130


def _settings(args: argparse.Namespace) -> Settings:
    from photo_api.cli.common import settings_of

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    return settings_of(args, **overrides)


def _migrate(settings: Settings, revision: str = "head") -> None:
    import structlog

    from photo_api.db import migrate as migrations
    from photo_api.db.engine import make_engine
    from photo_api.ops.startup import database_label

    log = structlog.get_logger("photo_api")
    engine = make_engine(settings.resolved_database_url)
    try:
        before = migrations.current_revision(engine)
        if revision.startswith("-") or revision == "base":
            migrations.downgrade(engine, revision)
        else:
            migrations.upgrade(engine, revision)
        after = migrations.current_revision(engine)
    finally:
        engine.dispose()
    database = database_label(settings)
    if before == after:
        log.info("database schema up to date", revision=after, database=database)
    else:
        log.info("database schema changed", before=before, after=after, database=database)


def serve(args: argparse.Namespace) -> None:
    import uvicorn

    from photo_api.cli import serving
    from photo_api.config import CONFIG_ENV

    settings = _settings(args)
    if args.workers is not None:
        settings.workers = args.workers
    serving.prepare(settings)
    warnings = serving.check_dependencies(settings)
    _migrate(settings)
    serving.same_secrets(settings)
    serving.announce(settings, warnings=warnings)
    options = serving.uvicorn_options(settings)
    if settings.workers == 1:
        from photo_api.main import create_app

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
    from photo_api.cli import serving
    from photo_api.db import migrate as migrations

    settings = _settings(args)
    migrations.check_revision(args.revision)
    serving.check_before_writing(settings)
    _migrate(settings, args.revision)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    # --config is accepted before the command and after it; given after, it wins.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        default=argparse.SUPPRESS,
        metavar="FILE",
        help="YAML settings file (also PHOTO_API_CONFIG)",
    )
    parser = argparse.ArgumentParser(prog="photo-api", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--config", metavar="FILE", help="YAML settings file (also PHOTO_API_CONFIG)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve_cmd = commands.add_parser(
        "serve", parents=[common], help="apply migrations and start the server"
    )
    serve_cmd.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve_cmd.add_argument("--port", type=int, help="port to listen on (default 8080)")
    serve_cmd.add_argument(
        "--workers", type=_positive, help="server processes on the port (default: the setting, 1)"
    )
    serve_cmd.set_defaults(handler="photo_api.cli.main:serve")

    migrate_cmd = commands.add_parser(
        "migrate", parents=[common], help="apply (or roll back) migrations"
    )
    migrate_cmd.add_argument("--revision", default="head", help="target, e.g. head, -1, base")
    migrate_cmd.set_defaults(handler="photo_api.cli.main:migrate", host=None, port=None)

    admin_parser.register(commands, common)
    return parser


def _handler(name: str) -> Callable[[argparse.Namespace], int | None]:
    module, _, function = name.partition(":")
    handler: Callable[[argparse.Namespace], int | None] = getattr(
        importlib.import_module(module), function
    )
    return handler


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _handler(args.handler)(args) or 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        from photo_api.cli.failures import explain

        known = explain(exc)
        if known is None:
            raise
        status, lines = known
        for line in lines:
            print(f"error: {line}", file=sys.stderr)
        return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
