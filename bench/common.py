"""What the benchmarks share: a server in its own process on a temp data directory."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_config(data_dir: Path, **settings: Any) -> Path:
    """A settings file (JSON is YAML) for a server on a free loopback port."""
    config = data_dir / "config.yaml"
    config.write_text(
        json.dumps(
            {
                "host": "127.0.0.1",
                "port": free_port(),
                "data_dir": str(data_dir),
                "jobs_enabled": False,
                "log_level": "WARNING",
                **settings,
            }
        )
    )
    return config


def start_server(config: Path, base_url: str) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "photo_api.cli.main", "--config", str(config), "serve"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited during start-up")
        try:
            if httpx.get(f"{base_url}/ping", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not answer /ping within 30 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(timeout=30)
