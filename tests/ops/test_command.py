"""The photo-api command as a program: fast to answer --help, quiet and clear when serving."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fixtures.net import free_port, http

HEAVY = ("fastapi", "starlette", "sqlalchemy", "pydantic", "uvicorn", "argon2", "boto3", "yaml")


def test_help_loads_no_web_app() -> None:
    code = (
        "import contextlib, io, json, sys\n"
        "from photo_api.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    try:\n"
        "        main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(json.dumps({'help': out.getvalue(), 'modules': sorted(sys.modules)}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    result = json.loads(done.stdout)
    assert "serve" in result["help"] and "admin" in result["help"]
    loaded = {name.split(".")[0] for name in result["modules"]}
    assert loaded.isdisjoint(HEAVY), loaded & set(HEAVY)
    assert "photo_api.main" not in result["modules"]


@pytest.mark.slow
def test_serve_prints_a_banner_without_migration_chatter(tmp_path: Path) -> None:
    port = free_port()
    config = tmp_path / "photo-api.yaml"
    config.write_text(f"data_dir: {tmp_path / 'data'}\nport: {port}\njobs_enabled: false\n")
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "photo_api.cli.main", "serve", "--config", str(config)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if http.get(f"http://127.0.0.1:{port}/ping", timeout=1).status_code == 200:
                    break
            except Exception:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(log.read_text()) from None
                time.sleep(0.1)
        assert http.get(f"http://127.0.0.1:{port}/").text.startswith("<!doctype html>")
    finally:
        process.terminate()
        process.wait(timeout=30)
    output = log.read_text()
    assert f"Photo API 0.1.0 is serving at http://127.0.0.1:{port}" in output
    assert "Developer settings" in output and "Verification code for EMAIL" in output
    assert "database schema changed" in output
    assert "Running upgrade" not in output and "Context impl" not in output
