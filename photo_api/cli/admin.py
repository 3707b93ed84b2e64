"""photo-api admin …: manage accounts directly on the configured database.

For the operator of the server, who needs no admin token: whoever can run this already
holds the database. Each command is one transaction through the admin services, and says
exactly what it did, or that it changed nothing.
"""

from __future__ import annotations

import argparse
import functools
import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from photo_api.admin import service
from photo_api.cli.common import CommandError, database, settings_of, table
from photo_api.cli.units import format_size, format_time
from photo_api.config import Settings
from photo_api.errors import ApiError
from photo_api.models import User

Handler = Callable[[argparse.Namespace], None]


def _api_errors(command: Handler) -> Handler:
    """The services' ApiErrors name the problem well enough: say it as a command error."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> None:
        try:
            command(args)
        except ApiError as exc:
            raise CommandError(exc.message) from None

    return run


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


@_api_errors
def list_users(args: argparse.Namespace) -> None:
    settings = settings_of(args)
    with _session(settings) as session:
        accounts = service.list_accounts(session, settings=settings)
        rows = [
            [
                str(account.user.id),
                account.user.email or "",
                format_time(account.user.created_at),
                format_size(account.usage),
                format_size(account.quota) if account.quota is not None else "none",
                str(account.files),
                "yes" if account.user.is_two_factor_enabled else "no",
                "admin" if account.admin else "",
            ]
            for account in accounts
        ]
    print(table(["ID", "EMAIL", "CREATED", "USAGE", "QUOTA", "FILES", "2FA", ""], rows))
    print(f"{len(rows)} user(s)")


@_api_errors
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


@_api_errors
def set_quota(args: argparse.Namespace) -> None:
    with _session(settings_of(args)) as session:
        user = _user(session, args.email)
        change = service.set_quota(session, admin_id=None, user_id=user.id, storage=args.size)
    if change.before == change.after:
        print(f"Quota of {user.email} was already {format_size(change.after)}; nothing changed.")
        return
    print(
        f"Quota of {user.email} is now {format_size(change.after)} ({change.after} bytes), "
        f"was {format_size(change.before)}."
    )
    if change.usage > change.after:
        print(
            f"Warning: {user.email} already uses {format_size(change.usage)}, more than the new "
            "quota: their uploads are refused until they delete files (nothing was deleted)."
        )


def _read_password(args: argparse.Namespace) -> str:
    if args.password is not None:
        return str(args.password)
    if sys.stdin.isatty():
        first = getpass.getpass("New password: ")
        if getpass.getpass("Again: ") != first:
            raise CommandError("the passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


@_api_errors
def set_password(args: argparse.Namespace) -> None:
    password = _read_password(args)
    settings = settings_of(args)
    with _session(settings) as session:
        user = _user(session, args.email)
        service.set_password(session, admin_id=None, user_id=user.id, password=password)
    print(f"Password set for {user.email}.")
    if not settings.password_login:
        print("Note: password login (POST /users/login) is disabled; set password_login: true.")


@_api_errors
def disable_two_factor(args: argparse.Namespace) -> None:
    with _session(settings_of(args)) as session:
        user = _user(session, args.email)
        disabled = service.disable_two_factor(session, admin_id=None, user_id=user.id)
    if disabled:
        print(f"Two-factor authentication disabled for {user.email}.")
    else:
        print(f"Two-factor authentication was not enabled for {user.email}; nothing changed.")


@_api_errors
def disable_passkeys(args: argparse.Namespace) -> None:
    with _session(settings_of(args)) as session:
        user = _user(session, args.email)
        removed = service.disable_passkeys(session, admin_id=None, user_id=user.id)
    if removed:
        print(f"{removed} passkey(s) removed from {user.email}.")
    else:
        print(f"{user.email} has no passkeys; nothing changed.")
