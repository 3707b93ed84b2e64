"""Problems found before serving: the database, storage, mail, ports and client URLs."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from photo_api.config import load_settings
from photo_api.ops import startup
from photo_api.storage.registry import build_stores
from tests.fixtures.cli import Run, run_cli
from tests.fixtures.databases import ADMIN_URL, PostgresServer
from tests.fixtures.net import free_port
from tests.fixtures.s3_server import S3Server


def write_config(tmp_path: Path, **settings: Any) -> Path:
    path = tmp_path / "photo-api.yaml"
    # JSON is YAML too.
    settings = {"data_dir": str(tmp_path / "data"), "log_level": "WARNING", **settings}
    path.write_text(json.dumps(settings))
    return path


def serve(config: Path) -> Run:
    return run_cli("--config", str(config), "serve")


def one_line(run: Run) -> str:
    assert run.returncode == 1, run
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def s3_backend(s3: S3Server, **extra: Any) -> dict[str, Any]:
    return {
        "type": "s3",
        "bucket": "photo-api-test",
        "endpoint_url": s3.endpoint_url,
        "access_key": s3.access_key,
        "secret_key": s3.secret_key,
        "path_style": True,
        **extra,
    }


def test_s3_at_a_dead_endpoint_is_refused_at_start(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    backend = {"type": "s3", "bucket": "photos", "endpoint_url": dead, "access_key": "k"}
    storage = {"hot": "s3", "backends": {"s3": {**backend, "secret_key": "s"}}}
    line = one_line(serve(write_config(tmp_path, storage=storage)))
    assert line.startswith(f"error: storage backend 's3' (hot, {dead}): bucket photos: ")
    assert "Could not connect to the endpoint URL" in line
    assert not (tmp_path / "data" / "photo-api.db").exists()


def test_unwritable_local_backend_is_refused_at_start(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    storage = {"backends": {"local": {"type": "local", "path": str(blocker / "objects")}}}
    line = one_line(serve(write_config(tmp_path, storage=storage)))
    assert line == (
        f"error: storage: backend 'local': cannot create {blocker / 'objects'}: Not a directory"
    )


def test_local_backend_is_written_to(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    stores = build_stores(settings)
    assert startup.dependencies(settings, stores).errors == []
    # A file where the directory should be: the write fails, whatever the permissions say.
    root = tmp_path / "objects"
    root.rmdir()
    root.write_text("")
    report = startup.dependencies(settings, stores)
    assert len(report.errors) == 1
    assert report.errors[0].startswith(f"storage backend 'local' (hot): {root} is not writable")


def test_s3_problems_and_cors(tmp_path: Path, s3_server: S3Server) -> None:
    s3_server.make_bucket("photo-api-test")
    storage = {
        "hot": "s3",
        "backends": {
            "s3": s3_backend(s3_server),
            "gone": s3_backend(s3_server, bucket="no-such-bucket"),
            "down": s3_backend(s3_server, endpoint_url=f"http://127.0.0.1:{free_port()}"),
        },
    }
    settings = load_settings(data_dir=tmp_path, storage=storage)
    report = startup.dependencies(settings, build_stores(settings))
    assert report.errors == [
        f"storage backend 'gone' (replica, {s3_server.endpoint_url}): no bucket 'no-such-bucket'"
    ]
    # A replica that is down is retried by replication: a warning, not a refusal.
    assert any(w.startswith("storage backend 'down' (replica, ") for w in report.warnings)
    assert any("'photo-api-test' has no CORS rules" in w for w in report.warnings)

    s3_server.client().put_bucket_cors(
        Bucket="photo-api-test",
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": ["*"],
                    "AllowedMethods": ["GET", "PUT"],
                    "AllowedHeaders": ["*"],
                }
            ]
        },
    )
    warnings = startup.dependencies(settings, build_stores(settings)).warnings
    cors = [w for w in warnings if "CORS" in w]
    assert len(cors) == 1 and "method POST; exposing ETag" in cors[0], cors
    s3_server.client().delete_bucket_cors(Bucket="photo-api-test")


def test_unreachable_smtp_is_a_warning(tmp_path: Path) -> None:
    smtp = {"host": "127.0.0.1", "port": free_port(), "encryption": "none"}
    settings = load_settings(data_dir=tmp_path, smtp=smtp)
    warnings = startup.dependencies(settings, build_stores(settings)).warnings
    assert len(warnings) == 1
    assert warnings[0].startswith(f"smtp (127.0.0.1:{smtp['port']}): ")
    assert "codes cannot be sent" in warnings[0]


@pytest.mark.parametrize(
    ("settings", "warned"),
    [
        ({"host": "0.0.0.0"}, "told to reach this server at http://0.0.0.0:8080"),
        ({"host": "0.0.0.0", "public_url": "http://127.0.0.1:8080"}, "this machine's own"),
        ({"host": "0.0.0.0", "public_url": "http://192.168.1.10:8080"}, None),
        ({}, None),
    ],
)
def test_urls_clients_cannot_use(tmp_path: Path, settings: dict[str, Any], warned: str) -> None:
    warnings = startup.client_urls(load_settings(data_dir=tmp_path, **settings))
    if warned is None:
        assert warnings == []
    else:
        assert len(warnings) == 1 and warned in warnings[0]


def test_bucket_urls_clients_cannot_use(tmp_path: Path) -> None:
    backend = {"type": "s3", "bucket": "b", "endpoint_url": "http://127.0.0.1:9000"}
    settings = load_settings(
        data_dir=tmp_path,
        host="0.0.0.0",
        public_url="http://192.168.1.10:8080",
        storage={"hot": "s3", "backends": {"s3": backend}},
    )
    assert startup.client_urls(settings) == [
        "storage.backends.s3.endpoint_url: clients are given URLs on http://127.0.0.1:9000, "
        "which they cannot reach; set storage.backends.s3.public_endpoint_url to the address "
        "they use"
    ]


def test_a_port_in_use_is_refused(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = one_line(run_cli("--config", str(write_config(tmp_path, port=port)), "serve"))
    assert line == f"error: cannot listen on 127.0.0.1:{port}: Address already in use"


def test_admin_commands_refuse_a_missing_database(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    for args in (["admin", "list-users"], ["admin", "jobs"], ["admin", "show-user", "a@b.c"]):
        run = run_cli("--config", str(config), *args)
        expected = f"error: no database at {tmp_path / 'data' / 'photo-api.db'}; pass --config"
        if args[1] == "jobs":  # it needs the server's keys first
            expected = f"error: no server secrets at {tmp_path / 'data' / 'secrets.json'}"
        assert one_line(run).startswith(expected), run
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photo-api.yaml"]


def test_postgresql_problems_are_one_line(tmp_path: Path, postgres_server: PostgresServer) -> None:
    base = ADMIN_URL.rsplit("/", 1)[0]
    host = base.rsplit("@", 1)[1]
    cases = {
        f"postgresql://postgres@127.0.0.1:{free_port()}/x": "Connection refused",
        f"{base}/no_such_database": 'database "no_such_database" does not exist',
        f"postgresql://nobody:hunter2@{host}/test": 'role "nobody" does not exist',
    }
    for url, reason in cases.items():
        run = serve(write_config(tmp_path, database_url=url))
        line = one_line(run)
        assert line.startswith("error: database postgresql://") and reason in line, line
        assert "hunter2" not in line
        assert not (tmp_path / "data").exists()

    empty = postgres_server.create_database()
    run = run_cli(
        "--config", str(write_config(tmp_path, database_url=empty)), "admin", "list-users"
    )
    assert one_line(run).startswith("error: no photo-api tables in database postgresql://")
