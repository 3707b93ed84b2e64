"""`photo-api admin …` on a test server's database: in-process, and once as a command."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from photo_api.cli.units import format_size, parse_size
from tests.accounts.test_two_factor import enable_totp
from tests.fixtures.app_server import RunningServer
from tests.fixtures.cli import Run, run_cli, run_command
from tests.fixtures.ente import Account, EnteClient
from tests.fixtures.library import create_album, upload

GiB = 1024**3
PASSWORD = "a server-side password"


@pytest.fixture
def config(server: RunningServer, tmp_path: Path) -> Path:
    """The server's database and data directory (its keys) in a YAML file."""
    path = tmp_path / "photo-api.yaml"
    # JSON is YAML too.
    path.write_text(
        json.dumps(
            {
                "database_url": server.settings.database_url,
                "data_dir": str(server.settings.data_dir),
                "log_level": "WARNING",
            }
        )
    )
    return path


def cli(config: Path, *args: str, stdin: str = "") -> Run:
    return run_cli("--config", str(config), "admin", *args, stdin=stdin)


@pytest.mark.slow
def test_admin_commands_run_as_a_program(config: Path) -> None:
    unknown = run_command("--config", str(config), "admin", "show-user", "nobody@example.org")
    assert unknown.returncode == 1
    assert unknown.stderr.strip().endswith("error: no user with email nobody@example.org")


def test_list_and_show_users(config: Path, account: Account) -> None:
    album = create_album(account)
    upload(account, album, b"x" * 3000)
    # --config after the command is as good as before it.
    listed = run_cli("admin", "list-users", "--config", str(config))
    assert listed.returncode == 0, listed.stderr
    header = listed.stdout.splitlines()[0].split()
    assert header == ["ID", "EMAIL", "CREATED", "USAGE", "QUOTA", "FILES", "2FA"]
    row = next(line for line in listed.stdout.splitlines() if account.email in line)
    assert "10.0 GiB" in row and " KiB" in row
    assert row.split()[9:11] == ["1", "no"]  # FILES, 2FA (CREATED, USAGE, QUOTA: 7 words)
    first = listed.stdout.splitlines()[2]
    assert first.endswith("admin")  # the first account, the admin when none is configured

    shown = cli(config, "show-user", account.email.upper())
    assert shown.returncode == 0, shown.stderr
    assert f"ID:         {account.client.user_id}" in shown.stdout
    assert "Quota:      10.0 GiB" in shown.stdout
    assert "Sessions:   1 active" in shown.stdout

    unknown = cli(config, "show-user", "nobody@example.org")
    assert unknown.returncode == 1
    assert unknown.stderr.strip().endswith("error: no user with email nobody@example.org")


def test_set_quota(config: Path, account: Account) -> None:
    done = cli(config, "set-quota", account.email, "50GiB")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"Quota of {account.email} is now 50.0 GiB ({50 * GiB} bytes), was 10.0 GiB.\n"
    )
    sub = account.client.get("/users/details/v2").json()["subscription"]
    assert sub["storage"] == 50 * GiB
    same = cli(config, "set-quota", account.email, "50GiB")
    assert "was already 50.0 GiB; nothing changed" in same.stdout

    upload(account, create_album(account), b"y" * 5000)
    below = cli(config, "set-quota", account.email, "0")
    assert below.returncode == 0, below.stderr
    assert "already uses" in below.stdout and "uploads are refused" in below.stdout

    assert cli(config, "set-quota", account.email, "lots").returncode == 2
    assert cli(config, "set-quota", "nobody@example.org", "1TB").returncode == 1


def test_set_password_and_disable_2fa(
    config: Path, server: RunningServer, account: Account
) -> None:
    too_short = cli(config, "set-password", account.email, stdin="short\n")
    assert too_short.returncode == 1 and "at least" in too_short.stderr
    done = cli(config, "set-password", account.email, stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr

    not_on = cli(config, "disable-2fa", account.email)
    assert not_on.returncode == 0, not_on.stderr
    assert not_on.stdout == (
        f"Two-factor authentication was not enabled for {account.email}; nothing changed.\n"
    )
    enable_totp(account)
    disabled = cli(config, "disable-2fa", account.email)
    assert disabled.returncode == 0, disabled.stderr
    assert disabled.stdout == f"Two-factor authentication disabled for {account.email}.\n"
    assert account.client.get("/users/two-factor/status").json() == {"status": False}

    server.settings.password_login = True
    try:
        login = EnteClient(server.url).post(
            "/users/login", json={"email": account.email, "password": PASSWORD}
        )
        assert login.status_code == 200, login.text
    finally:
        server.settings.password_login = False


@pytest.mark.parametrize(
    ("text", "size"),
    [("1048576", 1048576), ("50GiB", 50 * GiB), ("1TB", 10**12), ("1.5 tib", 3 * 1024**4 // 2)],
)
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "GiB", "-1GB", "12 parsecs", "1e3"])
def test_parse_size_refuses(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        parse_size(text)


def test_format_size() -> None:
    assert format_size(512) == "512 B"
    assert format_size(10 * GiB) == "10.0 GiB"


def test_jobs_are_listed_and_run_by_hand(config: Path, account: Account) -> None:
    album = create_album(account)
    photo = upload(account, album, b"trashed long ago")
    trash = {"items": [{"fileID": photo.id, "collectionID": album.id}]}
    assert account.client.post("/files/trash", json=trash).status_code == 200

    listed = cli(config, "jobs")
    assert listed.returncode == 0, listed.stderr
    names = [line.split()[0] for line in listed.stdout.splitlines()[2:] if line.strip()]
    assert names[:3] == ["expiry", "trash_expiry", "object_cleanup"]
    assert "trashed file(s) past retention" in listed.stdout

    done = cli(config, "run-job", "object_cleanup")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "object_cleanup: 0 abandoned, 0 deleted, 0 failed, 0 temporary files\n"
    trash_run = cli(config, "run-job", "trash_expiry")
    assert trash_run.stdout == "trash_expiry: 0 trashed file(s) deleted for good\n"
    unknown = cli(config, "run-job", "nothing")
    assert unknown.returncode == 1 and "no job 'nothing'" in unknown.stderr
