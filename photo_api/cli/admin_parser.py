"""The arguments of `photo-api admin …`, apart from the code that runs them.

Each command names its handler as "module:function", imported only when the command runs,
so that `photo-api --help` stays fast.
"""

from __future__ import annotations

import argparse

from photo_api.cli.units import parse_size


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    admin = commands.add_parser(
        "admin", parents=[common], help="manage accounts, storage and backups"
    )
    actions = admin.add_subparsers(dest="admin_command", required=True, metavar="COMMAND")

    def add(name: str, handler: str, help: str) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, parents=[common], help=help, description=help)
        parser.set_defaults(handler=handler)
        return parser

    add("list-users", "photo_api.cli.admin:list_users", "the accounts, their usage and quota")
    add("show-user", "photo_api.cli.admin:show_user", "an account's usage, quota and sessions")
    actions.choices["show-user"].add_argument("email")
    quota = add("set-quota", "photo_api.cli.admin:set_quota", "set an account's storage quota")
    quota.add_argument("email")
    quota.add_argument("size", type=parse_size, help="bytes, or e.g. 50GiB, 1TB")
    password = add(
        "set-password",
        "photo_api.cli.admin:set_password",
        "set the server-side login password (read from stdin)",
    )
    password.add_argument("email")
    password.add_argument("--password", help="instead of reading it from stdin")
    add("disable-2fa", "photo_api.cli.admin:disable_two_factor", "turn off an account's TOTP")
    actions.choices["disable-2fa"].add_argument("email")
    add("disable-passkeys", "photo_api.cli.admin:disable_passkeys", "remove an account's passkeys")
    actions.choices["disable-passkeys"].add_argument("email")

    copy = add(
        "replicate", "photo_api.cli.replication:replicate", "copy every object to the replicas"
    )
    copy.add_argument("--limit", type=int, help="stop after this many copies")
    check = add(
        "verify",
        "photo_api.cli.replication:verify",
        "re-read every copy, compare checksums, repair bad ones",
    )
    check.add_argument(
        "--no-repair", dest="repair", action="store_false", help="only report bad copies"
    )
    check.add_argument(
        "--max-age",
        type=float,
        default=0,
        metavar="SECONDS",
        help="skip copies verified within this many seconds (default 0: check all)",
    )

    add("jobs", "photo_api.cli.jobs:list_jobs", "the background jobs and the work waiting")
    add("run-job", "photo_api.cli.jobs:run_job", "run one background job now").add_argument("name")

    backup = add(
        "backup",
        "photo_api.cli.backup:backup",
        "write a consistent backup (database, secrets, objects) while the server runs",
    )
    backup.add_argument("dest", help="a directory to create; must not exist yet")
    backup.add_argument(
        "--no-objects",
        dest="objects",
        action="store_false",
        help="list local objects in the manifest without copying them",
    )
    restore = add(
        "restore",
        "photo_api.cli.backup:restore",
        "restore a backup into an empty data directory and database, then verify the objects",
    )
    restore.add_argument("src", help="a directory written by `photo-api admin backup`")
