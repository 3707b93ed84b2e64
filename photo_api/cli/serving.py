"""What `photo-api serve` does around serving: checks first, a banner once ready.

Nothing is written (no secrets file, no data directory, no database) until the settings,
the data directory and the database are known to be usable.
"""

from __future__ import annotations

import sys
from typing import Any

import structlog

from photo_api.cli.failures import CommandError
from photo_api.config import Settings, ensure_secrets
from photo_api.db.engine import make_engine
from photo_api.db.session import Database, open_database
from photo_api.ops import identity, startup, welcome
from photo_api.storage.registry import build_stores

log = structlog.get_logger("photo_api")
# In-flight requests get this long to finish after SIGTERM/SIGINT.
GRACEFUL_SHUTDOWN_SECONDS = 30


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How uvicorn serves the app, one process or several."""
    return {
        "host": settings.host,
        "port": settings.port,
        "log_config": None,
        "proxy_headers": True,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
    }


def check_before_writing(settings: Settings) -> None:
    problems = startup.paths_and_database(settings)
    if problems:
        raise CommandError("\n".join(problems))


def prepare(settings: Settings) -> None:
    """Checks, then the server keys (created on the first start)."""
    check_before_writing(settings)
    ensure_secrets(settings)


def check_dependencies(settings: Settings) -> list[str]:
    """Refuses storage that cannot take uploads, or a port in use; returns the warnings."""
    try:
        stores = build_stores(settings)
    except ValueError as exc:
        raise CommandError(f"storage: {exc}") from None
    report = startup.dependencies(settings, stores)
    listen = startup.listen_problem(settings.host, settings.port)
    if listen is not None:
        report.errors.append(listen)
    if report.errors:
        raise CommandError("\n".join(report.errors))
    return report.warnings


def same_secrets(settings: Settings) -> None:
    """Refuse to serve a database that other server secrets already serve."""
    db = open_database(settings)
    try:
        identity.check(db, settings)
    except identity.SecretsMismatch as exc:
        raise CommandError(str(exc)) from None
    finally:
        db.dispose()


def announce(settings: Settings, *, warnings: list[str]) -> None:
    """How to connect an Ente app, once, whatever number of processes then serve; JSON logs
    get it as one event, and a log level above INFO only the warnings. Call it after the
    migrations, once the port is known to be free."""
    if settings.log_level not in ("DEBUG", "INFO"):
        for warning in warnings:
            log.warning(warning)
        return
    db = Database(make_engine(settings.resolved_database_url))
    try:
        facts = welcome.facts(settings, db, build_stores(settings))
    finally:
        db.dispose()
    if settings.log_format == "json":
        for warning in warnings:
            log.warning(warning)
        log.info(
            "ready",
            url=facts.url,
            codes_by_mail=facts.mail_server is not None,
            registration_open=facts.registration_open,
            admins=[user_id for user_id, _ in facts.admins],
        )
        return
    print(welcome.banner(facts, warnings=warnings), file=sys.stderr, flush=True)
