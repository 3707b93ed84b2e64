"""Checks before serving: what would otherwise surface as a 500, or as a code never received.

Two rounds. Before anything is written: the data directory and the database. After the
migrations: every storage backend (writable, reachable, bucket present), and, as warnings
only, the mail server, the buckets' CORS rules and the URLs handed to clients. Problems are
one line each, naming the setting, the path or the URL (its password masked).
"""

from __future__ import annotations

import ipaddress
import os
import smtplib
import socket
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from photo_api import mail
from photo_api.config import SECRETS_FILE, S3Backend, Settings
from photo_api.storage.base import ObjectNotFound, StorageError
from photo_api.storage.local import LocalStore
from photo_api.storage.registry import Stores
from photo_api.storage.s3 import S3Store

CONNECT_TIMEOUT_SECONDS = 5
SMTP_TIMEOUT_SECONDS = 5
# What the Ente web and desktop apps need of a bucket (see README, storage backends).
CORS_HEADERS = ("content-md5", "content-type", "x-client-package")
ANY_ADDRESS = ("0.0.0.0", "::", "")


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def masked(url: str) -> str:
    """A database URL fit to print: its password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except SQLAlchemyError:
        return url.split("://", 1)[0] + "://…"


def database_problem(exc: BaseException) -> str:
    """The driver's own reason, without SQLAlchemy's wrapping and links."""
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    reason = lines[0] if lines else type(orig).__name__
    # libpq: 'connection to server at "h", port 5432 failed: FATAL:  role "x" does not exist',
    # or '… failed: Connection refused' and a hint on the next line; the URL says the rest.
    return reason.rsplit("FATAL:", 1)[-1].rsplit(" failed: ", 1)[-1].strip()


def database_label(settings: Settings) -> str:
    """The database as the operator configured it, fit to print (password masked)."""
    return masked(settings.database_url or settings.resolved_database_url)


def _directory_problem(path: Path) -> str | None:
    """Why `path` cannot be (made) a directory this process writes in; creates nothing."""
    path = path.absolute()
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a directory"
    if not os.access(existing, os.W_OK | os.X_OK):
        if existing == path:
            return f"{path} is not writable"
        return f"cannot create {path}: {existing} is not writable"
    return None


def sqlite_path(settings: Settings) -> Path | None:
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def paths_and_database(settings: Settings) -> list[str]:
    """Problems with the data directory and the database, found before writing anything."""
    problems = []
    data_dir = _directory_problem(settings.data_dir)
    if data_dir:
        problems.append(f"data_dir ({settings.data_dir}): {data_dir}")
    sqlite = sqlite_path(settings)
    url = settings.resolved_database_url
    if sqlite is not None:
        # SQLite writes its journal beside the file: the directory must be writable too.
        problem = _directory_problem(sqlite.parent)
        if problem is None and sqlite.exists() and not sqlite.is_file():
            problem = f"{sqlite} is not a file"
        if problem:
            problems.append(f"database {database_label(settings)}: {problem}")
    elif url.startswith("postgresql"):
        engine = create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})
        try:
            with engine.connect():
                pass
        except SQLAlchemyError as exc:
            problems.append(f"database {database_label(settings)}: {database_problem(exc)}")
        finally:
            engine.dispose()
    return problems


def listen_problem(host: str, port: int) -> str | None:
    """Why the server could not listen there (another server on the port, say)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As uvicorn binds: a port in TIME_WAIT after a restart is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    return None


def dependencies(settings: Settings, stores: Stores) -> Report:
    """Storage that cannot take uploads is an error; mail, CORS and URLs are warnings."""
    report = Report()
    for name, store in stores:
        role = "hot" if name == stores.hot_name else "replica"
        backend = settings.storage.backends.get(name)
        if isinstance(backend, S3Backend):
            role += f", {backend.endpoint_url or 'AWS'}"
        try:
            if isinstance(store, LocalStore):
                store.check_writable()
            else:
                store.check()
        except ObjectNotFound:
            bucket = getattr(store, "bucket", "?")
            report.errors.append(f"storage backend {name!r} ({role}): no bucket {bucket!r}")
            continue
        except StorageError as exc:
            line = f"storage backend {name!r} ({role}): {exc}"
            # Replication retries a replica that is down; uploads cannot wait for the hot one.
            (report.errors if name == stores.hot_name else report.warnings).append(line)
            continue
        if isinstance(store, S3Store):
            report.warnings += _cors(name, store, hot=name == stores.hot_name)
    report.warnings += _smtp(settings)
    report.warnings += client_urls(settings)
    report.warnings += open_to_others(settings)
    return report


def open_to_others(settings: Settings) -> list[str]:
    """Warnings for the data directory, the keys and SQLite's files when other users of the
    machine may read them (they are created private; older ones, or copies, may not be)."""
    private = {settings.data_dir: 0o700, settings.data_dir / SECRETS_FILE: 0o600}
    sqlite = sqlite_path(settings)
    if sqlite is not None:
        for suffix in ("", "-wal", "-shm"):
            private[sqlite.with_name(sqlite.name + suffix)] = 0o600
    warnings = []
    for path, wanted in private.items():
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            continue
        if mode & 0o077:
            warnings.append(
                f"{path} is open to other users of this machine (mode {mode:04o}): "
                f"chmod {wanted:o} {path}"
            )
    return warnings


def _cors(name: str, store: S3Store, *, hot: bool) -> list[str]:
    try:
        rules = store.cors_rules()
    except StorageError as exc:
        return [f"storage backend {name!r}: could not read its CORS rules ({exc})"]
    if not rules:
        return [
            f"storage backend {name!r}: bucket {store.bucket!r} has no CORS rules, so the web "
            "and desktop apps cannot use it (see README: storage backends)"
        ]
    methods = {"GET", "PUT", "POST"} if hot else {"GET"}
    missing = set(methods)
    headers_ok = exposes_etag = False
    for rule in rules:
        if "*" not in rule.get("AllowedOrigins", []):
            continue
        missing -= {method.upper() for method in rule.get("AllowedMethods", [])}
        allowed = {header.lower() for header in rule.get("AllowedHeaders", [])}
        headers_ok = headers_ok or "*" in allowed or set(CORS_HEADERS) <= allowed
        exposes_etag = exposes_etag or "etag" in {h.lower() for h in rule.get("ExposeHeaders", [])}
    gaps = [f"method {method}" for method in sorted(missing)]
    if not headers_ok:
        gaps.append(f"headers {', '.join(CORS_HEADERS)}")
    if hot and not exposes_etag:
        gaps.append("exposing ETag")
    if not gaps:
        return []
    return [
        f"storage backend {name!r}: bucket {store.bucket!r} has no CORS rule for any origin "
        f"allowing {'; '.join(gaps)}: browsers will fail there (see README: storage backends)"
    ]


def _smtp(settings: Settings) -> list[str]:
    smtp = settings.smtp
    if not smtp.host:
        return []
    try:
        mail.probe(smtp, timeout=SMTP_TIMEOUT_SECONDS, login=True)
    except (OSError, smtplib.SMTPException) as exc:
        reason = str(exc).strip() or type(exc).__name__
        return [
            f"smtp ({smtp.host}:{smtp.port}): {reason}; sign-up and log-in codes cannot be "
            "sent until it answers (GET /healthz reports it)"
        ]
    return []


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").strip("[]")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def client_urls(settings: Settings) -> list[str]:
    """Warnings about URLs handed to clients that clients cannot use."""
    warnings = []
    server = _host(settings.base_url)
    if server in ANY_ADDRESS:
        warnings.append(
            f"clients would be told to reach this server at {settings.base_url}, an address "
            "no client can use: set public_url to the URL they use (e.g. "
            f"http://192.168.1.10:{settings.port})"
        )
    elif _loopback(server) and settings.host in ANY_ADDRESS:
        warnings.append(
            f"public_url {settings.base_url} is this machine's own address: other devices "
            "that connect get URLs they cannot use; set public_url to the server's address"
        )
    for name, backend in settings.storage.backends.items():
        if isinstance(backend, S3Backend):
            warnings += _bucket_url(name, backend, server=server)
    return warnings


def _bucket_url(name: str, backend: S3Backend, *, server: str) -> list[str]:
    url = backend.public_endpoint_url or backend.endpoint_url
    if url is None:
        return []
    host = _host(url)
    setting = "public_endpoint_url" if backend.public_endpoint_url else "endpoint_url"
    if host in ANY_ADDRESS or (_loopback(host) and not _loopback(server)):
        return [
            f"storage.backends.{name}.{setting}: clients are given URLs on {url}, which they "
            "cannot reach; set storage.backends."
            f"{name}.public_endpoint_url to the address they use"
        ]
    return []
