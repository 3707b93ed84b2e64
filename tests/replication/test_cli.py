"""`photo-api admin replicate | verify` on a server's database and storage, and the S3 copies
in a backup."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.fixtures.app_server import RunningServer
from tests.fixtures.cli import Run, run_cli
from tests.fixtures.ente import signup
from tests.fixtures.smtp import SmtpServer
from tests.replication.conftest import committed, copies, stored_bytes, stores_of, upload_files
from tests.replication.test_verify import corrupt


@pytest.fixture
def config(local_hot: RunningServer, tmp_path: Path) -> Path:
    settings = local_hot.settings
    path = tmp_path / "photo-api.yaml"
    path.write_text(
        json.dumps(
            {
                "database_url": settings.database_url,
                "data_dir": str(settings.data_dir),
                "storage": settings.storage.model_dump(mode="json")
                | {"backends": _backends(local_hot)},
                "log_level": "WARNING",
            }
        )
    )
    return path


def _backends(server: RunningServer) -> dict[str, object]:
    backends = server.settings.storage.model_dump(mode="json")["backends"]
    secret = server.settings.storage.backends["s3"].secret_key  # type: ignore[union-attr]
    backends["s3"]["secret_key"] = secret.get_secret_value()
    return backends  # type: ignore[no-any-return]


def cli(config: Path, *args: str) -> Run:
    return run_cli("--config", str(config), "admin", *args)


def test_replicate_and_verify_commands(
    local_hot: RunningServer, config: Path, smtp_server: SmtpServer
) -> None:
    owner = signup(local_hot.url, smtp_server.mailbox)
    uploaded = upload_files(owner, 5)

    # A partial run (as after Ctrl-C), then a rerun that goes on from there.
    first = cli(config, "replicate", "--limit", "4")
    assert first.returncode == 0, first.stderr
    assert "Replication: 4 copied, 0 failed" in first.stdout
    assert "s3 behind by 6 object(s)" in first.stdout
    rest = cli(config, "replicate")
    assert rest.returncode == 0, rest.stderr
    assert "Replication: 6 copied, 0 failed" in rest.stdout
    assert "s3 behind by 0 object(s) (0 B)" in rest.stdout
    assert "obj" in rest.stderr  # the progress bar

    key = uploaded[0].body["thumbnail"]["objectKey"]
    good = stored_bytes(local_hot, "local", key)
    corrupt(local_hot, key)
    found = cli(config, "verify", "--no-repair")
    assert found.returncode == 1, found.stdout + found.stderr
    assert "Verification: 19 verified, 1 bad, 0 repaired" in found.stdout
    # Each bad copy is named (object key, backend, reason) on stdout, and in the log.
    assert f"bad: {key} on local: sha256 " in found.stdout
    assert "copy bad" in found.stderr and key in found.stderr
    assert copies(local_hot)[(key, "local")].state == "bad"

    fixed = cli(config, "verify")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "1 repaired" in fixed.stdout
    assert f"repaired: {key} on local: from s3" in fixed.stdout
    assert stored_bytes(local_hot, "local", key) == good

    # Recently verified copies are skipped with --max-age.
    fresh = cli(config, "verify", "--max-age", "3600")
    assert "Verification: 0 verified, 0 bad" in fresh.stdout


# S3 copies are listed and checked the same whatever the database.
@pytest.mark.parametrize("local_hot", ["sqlite"], indirect=True)
def test_backup_lists_s3_copies_and_restore_checks_them(
    local_hot: RunningServer, config: Path, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    upload_files(signup(local_hot.url, smtp_server.mailbox), 2)
    assert cli(config, "replicate").returncode == 0
    backup = tmp_path / "backup"
    taken = cli(config, "backup", str(backup))
    assert taken.returncode == 0, taken.stderr
    entries = [json.loads(line) for line in (backup / "objects.jsonl").read_text().splitlines()]
    by_backend = {name: [e for e in entries if e["backend"] == name] for name in ("local", "s3")}
    # Local objects are copied into the backup; S3 ones are listed with their checksums (the
    # test bucket also holds other tests' objects: every object in storage is listed).
    mine = set(committed(local_hot))
    assert len(mine) == 4
    assert {e["key"] for e in by_backend["local"]} == mine
    assert mine <= {e["key"] for e in by_backend["s3"]}
    assert all(e["copied"] for e in by_backend["local"])
    assert not any(e["copied"] for e in by_backend["s3"])

    def restore(into: str) -> Run:
        settings = json.loads(config.read_text())
        target = tmp_path / into
        settings["data_dir"] = str(target)
        settings["database_url"] = f"sqlite:///{target / 'photo-api.db'}"
        settings["storage"]["backends"]["local"]["path"] = str(target / "objects")
        path = tmp_path / f"{into}.yaml"
        path.write_text(json.dumps(settings))
        return run_cli("--config", str(path), "admin", "restore", str(backup))

    restored = restore("restored")
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert f"{len(entries)} object(s)" in restored.stdout
    assert "match the manifest" in restored.stdout

    changed = sorted(mine)[0]
    stores_of(local_hot).get("s3").put(changed, io.BytesIO(b"changed"), 7)  # type: ignore[union-attr]
    again = restore("again")
    assert again.returncode == 1
    assert f"bad: {changed} on s3: sha256 " in again.stdout
