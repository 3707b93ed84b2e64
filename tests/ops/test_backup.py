"""A backup taken while uploads run restores into an empty directory (and database), and
every file downloads and decrypts byte-identical from the restored server."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from tests.fixtures.app_server import RunningServer, start_server
from tests.fixtures.cli import Run, run_cli
from tests.fixtures.databases import DATABASES, database_url
from tests.fixtures.ente import Account, EnteClient, signup
from tests.fixtures.library import (
    Album,
    Uploaded,
    collection_diff,
    create_album,
    decrypt_download,
    upload,
)
from tests.fixtures.smtp import SmtpServer


def write_config(path: Path, server_like: dict[str, str]) -> Path:
    path.write_text(json.dumps({**server_like, "log_level": "WARNING"}))
    return path


def admin(config: Path, *args: str) -> Run:
    return run_cli("--config", str(config), "admin", *args)


class Uploader(threading.Thread):
    """Uploads one file after another until stopped."""

    def __init__(self, account: Account, album: Album) -> None:
        super().__init__(daemon=True)
        self.account, self.album = account, album
        self.stop = threading.Event()
        self.done: list[Uploaded] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                data = os.urandom(3000 + len(self.done))
                self.done.append(upload(self.account, self.album, data))
        except BaseException as exc:
            self.error = exc


@pytest.fixture(params=DATABASES)
def source(
    request: pytest.FixtureRequest, tmp_path: Path, smtp_server: SmtpServer
) -> RunningServer:
    directory = tmp_path / "source"
    directory.mkdir()
    server = start_server(
        database_url=database_url(request.param, request, directory),
        data_dir=directory,
        s3=None,
        smtp=smtp_server,
    )
    request.addfinalizer(server.stop)
    return server


def test_backup_while_uploading_restores_byte_identical(
    request: pytest.FixtureRequest,
    source: RunningServer,
    smtp_server: SmtpServer,
    tmp_path: Path,
) -> None:
    account = signup(source.url, smtp_server.mailbox)
    album = create_album(account)
    before = [upload(account, album, os.urandom(5000 + i)) for i in range(3)]
    config = write_config(
        tmp_path / "source.yaml",
        {"database_url": source.settings.database_url, "data_dir": str(source.settings.data_dir)},
    )

    uploader = Uploader(account, album)
    uploader.start()
    try:
        while len(uploader.done) < 2 and uploader.error is None:
            uploader.stop.wait(0.05)
        taken = admin(config, "backup", str(tmp_path / "backup"))
    finally:
        uploader.stop.set()
        uploader.join(timeout=60)
    assert uploader.error is None, uploader.error
    assert taken.returncode == 0, taken.stderr
    assert taken.stdout.startswith(f"Backup written to {tmp_path / 'backup'}: the database")
    backup = tmp_path / "backup"
    assert (backup / "secrets.json").stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / ".backup.partial").exists()
    assert admin(config, "backup", str(backup)).stderr.endswith("a new directory\n")

    # Restore into an empty data directory and an empty database of the same kind.
    target_dir = tmp_path / "restored"
    target = {
        "database_url": database_url(source.db, request, target_dir),
        "data_dir": str(target_dir),
    }
    if source.db == "sqlite":
        target_dir.mkdir()
    restored = admin(write_config(tmp_path / "restored.yaml", target), "restore", str(backup))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "match the manifest" in restored.stdout

    server = start_server(
        database_url=target["database_url"], data_dir=target_dir, s3=None, smtp=smtp_server
    )
    try:
        client = EnteClient(server.url)
        client.token, client.user_id, client.keys = (
            account.client.token,
            account.client.user_id,
            account.client.keys,
        )
        ids = {row["id"] for row in collection_diff(client, album.id) if not row["isDeleted"]}
        uploaded = {file.id: file for file in before + uploader.done}
        # Everything uploaded before the backup started is in it; some of the rest may be.
        assert {file.id for file in before} <= ids <= set(uploaded)
        assert len(ids) > len(before)
        for file_id in ids:
            assert decrypt_download(client, uploaded[file_id]) == uploaded[file_id].plaintext
        # The restored server goes on: a new upload works and gets an id of its own.
        fresh = upload(Account(account.email, "", {}, "", client), album, b"after the restore")
        assert fresh.id not in ids
    finally:
        server.stop()


# The checks do not depend on the database.
@pytest.mark.parametrize("source", ["sqlite"], indirect=True)
def test_restore_refuses_a_used_directory_and_names_bad_objects(
    source: RunningServer, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    account = signup(source.url, smtp_server.mailbox)
    photo = upload(account, create_album(account), b"a photo to damage")
    config = write_config(
        tmp_path / "source.yaml",
        {"database_url": source.settings.database_url, "data_dir": str(source.settings.data_dir)},
    )
    backup = tmp_path / "backup"
    assert admin(config, "backup", str(backup)).returncode == 0

    used = admin(config, "restore", str(backup))
    assert used.returncode == 1
    assert used.stderr == (
        f"error: {source.settings.data_dir} is not empty; restore needs an empty one\n"
    )

    key = photo.body["file"]["objectKey"]
    copy = backup / "objects" / "local" / key
    copy.write_bytes(bytes(byte ^ 1 for byte in copy.read_bytes()))
    target = tmp_path / "restored"
    restored = admin(
        write_config(tmp_path / "restored.yaml", {"data_dir": str(target)}), "restore", str(backup)
    )
    assert restored.returncode == 1
    assert f"bad: {key} on local: sha256 " in restored.stdout
    assert "1 object(s) do not" in restored.stdout
