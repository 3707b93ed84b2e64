"""photo-api admin …: manage accounts directly on the configured database.

For the operator of the server, who needs no admin token: whoever can run this already
holds the database. Each command is one transaction through the admin services.
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from photo_api.admin import service
from photo_api.cli import jobs as job_commands
from photo_api.cli import replication as replication_commands
from photo_api.cli.common import CommandError, database, settings_of, table
from photo_api.config import Settings
from photo_api.errors import ApiError
from photo_api.models import User

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$", re.IGNORECASE)
_UNITS: dict[str, int] = {
    "": 1,
    "b": 1,
    **{p: 1000**i for i, p in enumerate(("k", "m", "g", "t", "p"), start=1)},
    **{f"{p}b": 1000**i for i, p in enumerate(("k", "m", "g", "t", "p"), start=1)},
    **{f"{p}ib": 1024**i for i, p in enumerate(("k", "m", "g", "t", "p"), start=1)},
}
MAX_BYTES = 2**63 - 1


def parse_size(text: str) -> int:
    """Bytes from "1073741824", "50GiB", "1TB" or "1.5 TiB" (KB/MB/... are powers of 1000)."""
    match = _SIZE.match(text)
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _UNITS:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 50GiB, 1TB, 1048576)")
    size = round(float(match.group(1)) * _UNITS[unit])
    if size > MAX_BYTES:
        raise argparse.ArgumentTypeError(f"size too large: {text!r}")
    return size


def format_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def format_time(micros: int) -> str:
    try:
        return datetime.fromtimestamp(micros / 1_000_000, UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (OverflowError, ValueError, OSError):
        return str(micros)


@contextmanager
def _session(settings: Settings) -> Iterator[Session]:
    """One transaction, committed if the command succeeds."""
    with database(settings) as db, db.session() as session:
        yield session
        session.commit()


def _user(session: Session, email: str) -> User:
    try:
        return service.find_user(session, email=email)
    except ApiError as exc:
        raise CommandError(f"no user with email {email}") from exc


def list_users(args: argparse.Namespace) -> None:
    with _session(settings_of(args)) as session:
        users = service.list_users(session, admin_id=None, since=0)
        rows = [
            [
                str(user.id),
                user.email or "",
                format_time(user.created_at),
                "yes" if user.is_two_factor_enabled else "no",
                "yes" if user.email_mfa else "no",
            ]
            for user in users
        ]
    print(table(["ID", "EMAIL", "CREATED", "2FA", "EMAIL MFA"], rows))
    print(f"{len(rows)} user(s)")


def show_user(args: argparse.Namespace) -> None:
    with _session(settings_of(args)) as session:
        view = service.overview(session, admin_id=None, user=_user(session, args.email))
    user, sub = view.user, view.subscription
    fields = [
        ("ID", str(user.id)),
        ("Email", user.email or ""),
        ("Created", format_time(user.created_at)),
        ("Two-factor", "enabled" if user.is_two_factor_enabled else "disabled"),
        ("Email MFA", "enabled" if user.email_mfa else "disabled"),
        ("Usage", format_size(view.usage)),
        ("Quota", format_size(sub.storage) if sub else "none"),
        ("Plan", f"{sub.product_id}, until {format_time(sub.expiry_time)}" if sub else "none"),
        ("Sessions", f"{view.active_sessions} active, {len(view.tokens)} in all"),
    ]
    width = max(len(name) for name, _ in fields)
    print("\n".join(f"{name + ':':<{width + 1}} {value}" for name, value in fields))


def set_quota(args: argparse.Namespace) -> None:
    with _session(settings_of(args)) as session:
        user = _user(session, args.email)
        service.set_quota(session, admin_id=None, user_id=user.id, storage=args.size)
    print(f"Quota of {user.email} is now {format_size(args.size)} ({args.size} bytes).")


def _read_password(args: argparse.Namespace) -> str:
    if args.password is not None:
        return str(args.password)
    if sys.stdin.isatty():
        first = getpass.getpass("New password: ")
        if getpass.getpass("Again: ") != first:
            raise CommandError("the passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def set_password(args: argparse.Namespace) -> None:
    password = _read_password(args)
    settings = settings_of(args)
    with _session(settings) as session:
        user = _user(session, args.email)
        service.set_password(session, admin_id=None, user_id=user.id, password=password)
    print(f"Password set for {user.email}.")
    if not settings.password_login:
        print("Note: password login (POST /users/login) is disabled; set password_login: true.")


def disable_two_factor(args: argparse.Namespace) -> None:
    with _session(settings_of(args)) as session:
        user = _user(session, args.email)
        service.disable_two_factor(session, admin_id=None, user_id=user.id)
    print(f"Two-factor authentication disabled for {user.email}.")


def disable_passkeys(args: argparse.Namespace) -> None:
    with _session(settings_of(args)) as session:
        user = _user(session, args.email)
        removed = service.disable_passkeys(session, admin_id=None, user_id=user.id)
    print(f"{removed} passkey(s) removed from {user.email}.")


def _run(command: Callable[[argparse.Namespace], None]) -> Callable[[argparse.Namespace], None]:
    def run(args: argparse.Namespace) -> None:
        try:
            command(args)
        except (CommandError, ApiError) as exc:
            message = exc.message if isinstance(exc, ApiError) else str(exc)
            print(f"error: {message}", file=sys.stderr)
            sys.exit(1)

    return run


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    admin = commands.add_parser("admin", help="manage accounts on the configured database")
    actions = admin.add_subparsers(dest="admin_command", required=True)

    def add(name: str, func: Callable[[argparse.Namespace], None], help: str) -> Any:
        parser = actions.add_parser(name, help=help)
        parser.set_defaults(func=_run(func))
        return parser

    add("list-users", list_users, "list the accounts")
    add("show-user", show_user, "an account's usage, quota and sessions").add_argument("email")
    quota = add("set-quota", set_quota, "set an account's storage quota")
    quota.add_argument("email")
    quota.add_argument("size", type=parse_size, help="bytes, or e.g. 50GiB, 1TB")
    password = add(
        "set-password", set_password, "set the server-side login password (read from stdin)"
    )
    password.add_argument("email")
    password.add_argument("--password", help="instead of reading it from stdin")
    add("disable-2fa", disable_two_factor, "turn off an account's TOTP").add_argument("email")
    add("disable-passkeys", disable_passkeys, "remove an account's passkeys").add_argument("email")
    replication_commands.register(add)
    job_commands.register(add)
