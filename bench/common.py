"""What the benchmarks share: a server in its own process on a temp data directory."""

from __future__ import annotations

import base64
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg import sql

from photo_api.auth.deps import Device
from photo_api.clock import now_us
from photo_api.config import Settings
from photo_api.db.session import Database
from photo_api.login.service import issue_token
from photo_api.models import KeyAttributes
from photo_api.users.service import create_user

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


def b64(size: int) -> str:
    """Random bytes as base64: what the clients send in place of ciphertext."""
    return base64.b64encode(os.urandom(size)).decode()


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


def start_server(config: Path, base_url: str, *serve_args: str) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "photo_api.cli.main", "--config", str(config), "serve", *serve_args],
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


def bench_user(db: Database, settings: Settings, email: str) -> tuple[int, str]:
    """An account with key attributes and a session token, made straight in the database."""
    with db.session() as session:
        user = create_user(session, settings=settings, email=email, source=None)
        session.add(
            KeyAttributes(
                user_id=user.id,
                kek_salt=b64(16),
                encrypted_key=b64(48),
                key_decryption_nonce=b64(24),
                public_key=b64(32),
                encrypted_secret_key=b64(48),
                secret_key_decryption_nonce=b64(24),
                mem_limit=268435456,
                ops_limit=16,
                created_at=now_us(),
            )
        )
        token = issue_token(
            session,
            user_id=user.id,
            device=Device(app="photos", ip="127.0.0.1", user_agent="bench"),
        )
        session.commit()
        return user.id, token


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str | None]:
    """A throwaway database on that server (None, with a notice, when it does not answer)."""
    name = f"photo_api_bench_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        print(f"== postgres skipped: {exc}".strip())
        yield None
        return
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
