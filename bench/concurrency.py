"""Concurrent writers against `photo-api serve`, on SQLite and PostgreSQL.

Each of N clients (default 10, 50 and 200, all at once) does `--rounds` times what an
uploading app does: an upload URL, the object PUT and the commit for a file and its thumbnail,
adding the file to a second album, and a magic-metadata update. Prints per level: operations/s,
p50/p99 of the requests, and the count of 5xx, 503 (overload, with Retry-After) and client
time-outs — beside /ping requests/s from the same number of clients on the same server.

    .venv/bin/python -m bench.concurrency [--clients 10 50 200] [--rounds 2] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import os
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.common import (
    POSTGRES_URL,
    b64,
    bench_user,
    postgres_database,
    start_server,
    stop_server,
    write_config,
)
from photo_api.clock import now_us
from photo_api.config import load_settings
from photo_api.db import migrate
from photo_api.db.engine import make_engine
from photo_api.db.session import Database
from photo_api.models import Collection

TIMEOUT_SECONDS = 60
OBJECT_BYTES = 4096


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.statuses[kind] = self.statuses.get(kind, 0) + 1


class Failed(Exception):
    """A request of an operation did not succeed; the operation stops there."""


async def _call(client: httpx.AsyncClient, tally: Tally, method: str, url: str, **kw: Any) -> Any:
    started = time.perf_counter()
    try:
        response = await client.request(method, url, **kw)
    except httpx.TimeoutException as exc:
        tally.count("timeout")
        raise Failed from exc
    except httpx.TransportError as exc:
        tally.count("connection error")
        raise Failed from exc
    tally.latencies.append(time.perf_counter() - started)
    status = response.status_code
    if status == 503 and "retry-after" in response.headers:
        tally.count("503")
    elif status >= 500:
        tally.count("5xx")
    elif status >= 400:
        tally.count("4xx")
    else:
        tally.count("2xx")
    if status >= 300:
        raise Failed(f"{method} {url}: {status} {response.text[:200]}")
    return response.json() if response.content else None


def _md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


async def _put_object(client: httpx.AsyncClient, tally: Tally) -> dict[str, Any]:
    data = os.urandom(OBJECT_BYTES)
    target = await _call(
        client,
        tally,
        "POST",
        "/files/upload-url",
        json={"contentLength": len(data), "contentMD5": _md5(data)},
    )
    await _call(
        client, tally, "PUT", target["url"], content=data, headers={"Content-MD5": _md5(data)}
    )
    return {"objectKey": target["objectKey"], "decryptionHeader": b64(24), "size": len(data)}


async def _operation(client: httpx.AsyncClient, tally: Tally, albums: tuple[int, int]) -> None:
    uploaded = await _call(
        client,
        tally,
        "POST",
        "/files",
        json={
            "collectionID": albums[0],
            "encryptedKey": b64(48),
            "keyDecryptionNonce": b64(24),
            "file": await _put_object(client, tally),
            "thumbnail": await _put_object(client, tally),
            "metadata": {"encryptedData": b64(300), "decryptionHeader": b64(24)},
        },
    )
    file_id = uploaded["id"]
    item = {"id": file_id, "encryptedKey": b64(48), "keyDecryptionNonce": b64(24)}
    await _call(
        client,
        tally,
        "POST",
        "/collections/add-files",
        json={"collectionID": albums[1], "files": [item]},
    )
    magic = {"version": 0, "count": 1, "data": b64(64), "header": b64(24)}
    await _call(
        client,
        tally,
        "PUT",
        "/files/magic-metadata",
        json={"metadataList": [{"id": file_id, "magicMetadata": magic}]},
    )


async def _writers(
    base_url: str, token: str, albums: tuple[int, int], *, clients: int, rounds: int
) -> tuple[float, Tally, int]:
    tally = Tally()
    done = 0

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal done
        for _ in range(rounds):
            try:
                await _operation(client, tally, albums)
                done += 1
            except Failed:
                pass

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=base_url,
        headers={"X-Auth-Token": token},
        timeout=TIMEOUT_SECONDS,
        limits=limits,
    ) as client:
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return done / elapsed, tally, done


async def _pings(base_url: str, *, clients: int, per_client: int) -> float:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT_SECONDS, limits=limits) as c:

        async def loop() -> None:
            for _ in range(per_client):
                (await c.get("/ping")).raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(loop() for _ in range(clients)))
        return clients * per_client / (time.perf_counter() - started)


def _albums(db: Database, user_id: int) -> tuple[int, int]:
    now = now_us()
    with db.session() as session:
        rows = [
            Collection(
                owner_id=user_id,
                encrypted_key=b64(48),
                key_decryption_nonce=b64(24),
                encrypted_name=b64(32),
                name_decryption_nonce=b64(24),
                type="album",
                attributes={"version": 0},
                app="photos",
                is_deleted=False,
                created_at=now,
                updation_time=now,
            )
            for _ in range(2)
        ]
        session.add_all(rows)
        session.commit()
        return rows[0].id, rows[1].id


def _quantile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else 0.0


def run(label: str, database_url: str | None, args: argparse.Namespace) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="photo-api-concurrency-"))
    overrides = {"database_url": database_url} if database_url else {}
    config = write_config(data_dir, **overrides)
    settings = load_settings(config)
    engine = make_engine(settings.resolved_database_url)
    migrate.upgrade(engine)
    db = Database(engine)
    user_id, token = bench_user(db, settings, "writer@example.org")
    albums = _albums(db, user_id)
    serve_args = ["--workers", str(args.workers)] if args.workers > 1 else []
    server = start_server(config, settings.base_url, *serve_args)
    print(f"== {label}, {args.workers} worker(s), {args.rounds} operation(s) per client")
    print("clients   ops/s  p50 ms  p99 ms   2xx   4xx   5xx   503  time-outs   /ping req/s")
    try:
        for clients in args.clients:
            ops, tally, _ = asyncio.run(
                _writers(settings.base_url, token, albums, clients=clients, rounds=args.rounds)
            )
            ping = asyncio.run(_pings(settings.base_url, clients=clients, per_client=20))
            s = tally.statuses
            print(
                f"{clients:7d} {ops:7.1f} {_quantile(tally.latencies, 50) * 1000:7.0f}"
                f" {_quantile(tally.latencies, 99) * 1000:7.0f} {s.get('2xx', 0):5d}"
                f" {s.get('4xx', 0):5d} {s.get('5xx', 0):5d} {s.get('503', 0):5d}"
                f" {s.get('timeout', 0) + s.get('connection error', 0):10d} {ping:13.1f}"
            )
    finally:
        stop_server(server)
        db.dispose()
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    if args.only != "postgres":
        run("sqlite", None, args)
    if args.only != "sqlite":
        with postgres_database(args.postgres_url) as url:
            if url:
                run("postgres", url, args)


if __name__ == "__main__":
    main()
