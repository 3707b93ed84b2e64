"""Bad settings: one line each, naming the setting and where its value came from, exit 2,
no traceback, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from photo_api.config import read_settings
from tests.fixtures.cli import Run, run_cli

S3 = "storage:\n  hot: s3\n  backends:\n    s3:\n      type: s3\n      bucket: photos\n"


def serve(tmp_path: Path, config: str | None, *args: str) -> Run:
    """`photo-api serve` with that YAML file, in an empty directory."""
    argv = ["serve", *args]
    if config is not None:
        path = tmp_path / "photo-api.yaml"
        path.write_text(config + f"data_dir: {tmp_path / 'data'}\n")
        argv = ["--config", str(path), *argv]
    return run_cli(*argv)


def refused(run: Run, *expected: str) -> list[str]:
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 2, run
    assert "Traceback" not in run.stderr
    assert all(line.startswith("error: ") for line in lines), lines
    for text in expected:
        assert any(text in line for line in lines), (text, lines)
    return lines


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("port: [1\n", ["photo-api.yaml, line 2, column 9: not valid YAML"]),
        ("prot: 80\n", ["prot (", "photo-api.yaml, line 1): unknown setting; did you mean port?"]),
        ("port: eighty\n", ["port (", "line 1): input should be a valid integer", "'eighty'"]),
        ("storage:\n  hot: s3\n", ["storage.hot (", "line 2): names no backend"]),
        ("storage:\n  hots: local\n", ["storage.hots", "did you mean storage.hot?"]),
        ("smtp:\n  hostname: mail\n", ["smtp.hostname", "did you mean smtp.host?"]),
        (
            "replication:\n  interval: 5\n",
            ["replication.interval", "did you mean replication.interval_seconds?"],
        ),
        (
            S3 + "      endpoint: http://minio:9000\n      acces_key: AK\n",
            [
                "storage.backends.s3.endpoint (",
                "did you mean storage.backends.s3.endpoint_url?",
                "storage.backends.s3.acces_key (",
                "did you mean storage.backends.s3.access_key?",
            ],
        ),
        ("storage:\n  backends:\n    b:\n      path: /x\n", ["storage.backends.b (", "type"]),
        ("port: 1\nport: 2\n", ["port (", "line 2): also set on line 1"]),
        ("public_url: 0.0.0.0:8080\n", ["public_url (", "http:// or https://"]),
        ("database_url: mysql://u:hunter2@h/db\n", ["database_url (", "sqlite:///"]),
        ("log_level: loud\n", ["log_level (", "DEBUG, INFO"]),
        (
            "storage:\n  url_ttl_seconds: 100\n  abandoned_upload_seconds: 50\n",
            ["storage.abandoned_upload_seconds (", "must exceed storage.url_ttl_seconds (100)"],
        ),
        ("secrets:\n  jwt_secret: '!'\n", ["secrets.jwt_secret (", "base64"]),
        (
            "forwarded_allow_ips: proxy.internal\n",
            ["forwarded_allow_ips (", "'proxy.internal' is not an IP address or network"],
        ),
        ("forwarded_allow_ips: '*, 10.0.0.1'\n", ["forwarded_allow_ips (", "give it alone"]),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_each_bad_setting_is_one_line(tmp_path: Path, config: str, expected: list[str]) -> None:
    lines = refused(serve(tmp_path, config), *expected)
    assert "hunter2" not in "\n".join(lines)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["photo-api.yaml"]


def test_a_list_is_not_settings(tmp_path: Path) -> None:
    path = tmp_path / "photo-api.yaml"
    path.write_text("- port: 1\n")
    lines = refused(run_cli("--config", str(path), "serve"), "expected settings")
    assert lines == [f"error: config file {path}: expected settings (key: value), found a list"]


def test_a_missing_config_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    lines = refused(run_cli("serve", "--config", str(missing)))
    assert lines == [f"error: config file {missing} does not exist"]


def test_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHOTO_API_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PHOTO_API_SMTP__HOSTNAME", "mail")
    monkeypatch.setenv("PHOTO_API_PROT", "80")
    monkeypatch.setenv("PHOTO_API_PORT", "eighty")
    lines = refused(
        serve(tmp_path, None),
        "PHOTO_API_SMTP__HOSTNAME: no setting smtp.hostname; did you mean PHOTO_API_SMTP__HOST?",
        "PHOTO_API_PROT: no setting prot; did you mean PHOTO_API_PORT?",
        "port (variable PHOTO_API_PORT): input should be a valid integer",
    )
    assert len(lines) == 3
    assert not (tmp_path / "data").exists()


def test_lists_from_variables_are_comma_separated(tmp_path: Path) -> None:
    settings = read_settings(
        environ={
            "PHOTO_API_DATA_DIR": str(tmp_path),
            "PHOTO_API_ADMINS": "1, 2",
            "PHOTO_API_HARDCODED_OTTS": "a@example.org,123456,b@example.org,654321",
            "PHOTO_API_TEST_ANYTHING": "the test suite's own variables are not settings",
        }
    )
    assert settings.admins == [1, 2]
    assert settings.hardcoded_ott_map == {"a@example.org": "123456", "b@example.org": "654321"}
    assert read_settings(environ={"PHOTO_API_ADMINS": "[3]"}).admins == [3]


def test_nested_variables_and_file_merge(tmp_path: Path) -> None:
    path = tmp_path / "photo-api.yaml"
    path.write_text(S3 + "      region: eu-west-1\n")
    settings = read_settings(
        path,
        environ={
            "PHOTO_API_STORAGE__BACKENDS__S3__ENDPOINT_URL": "http://minio:9000/",
            "PHOTO_API_DATA_DIR": str(tmp_path),
        },
    )
    backend = settings.storage.backends["s3"]
    assert backend.type == "s3"
    assert (backend.region, backend.endpoint_url) == ("eu-west-1", "http://minio:9000")


def test_unwritable_data_dir_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    data_dir = blocker / "data"
    path = tmp_path / "photo-api.yaml"
    path.write_text(f"data_dir: {data_dir}\n")
    run = run_cli("--config", str(path), "serve")
    assert run.returncode == 1, run
    assert run.stderr.splitlines() == [
        f"error: data_dir ({data_dir}): {blocker} is not a directory",
        f"error: database sqlite:///{data_dir / 'photo-api.db'}: {blocker} is not a directory",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "photo-api.yaml"]


def test_unknown_migration_revision(tmp_path: Path) -> None:
    path = tmp_path / "photo-api.yaml"
    path.write_text(f"data_dir: {tmp_path / 'data'}\n")
    run = run_cli("--config", str(path), "migrate", "--revision", "nonsense")
    assert run.returncode == 1
    assert run.stderr == "error: migrations: Can't locate revision identified by 'nonsense'\n"
    assert not (tmp_path / "data").exists()
