"""Sync speed: full collection-diff pages under concurrent clients, and incremental syncs.

Builds a library (default 100,000 files in 50 albums) straight into the database, starts
`photo-api serve` as its own process, and prints:
- the server's work for one full page (2500 files) beside its floor: the same rows read by
  the database driver alone and the same JSON serialized with orjson (bench/floor.py);
- requests/s and p50/p99 latency of full /collections/v2/diff pages under 8 concurrent
  clients, beside /ping requests/s on the same server in the same run (the ratio), and
  again with `--workers 2`;
- the time of an incremental sync (collections since T, then the changed albums' diffs)
  after 10 changes, at 10,000 and at the full library size;
on SQLite, and on PostgreSQL when --postgres-url (default: the local test server) answers.

    .venv/bin/python -m bench.sync [--files 100000] [--albums 50] [--clients 8] [--seconds 10]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import insert, select

from bench import floor
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
from photo_api.config import Settings, load_settings
from photo_api.db import migrate
from photo_api.db.engine import make_engine
from photo_api.db.session import Database
from photo_api.models import Collection, CollectionFile, File

PAGE = 2500
# Ciphertext of realistic size: base64 of what the web encrypts for a photo.
METADATA = b64(300)
HEADER = b64(24)
FILE_KEY = b64(48)
NONCE = b64(24)


class Library:
    """A user with albums, filled directly in the database in large batches."""

    def __init__(self, db: Database, settings: Settings, albums: int) -> None:
        self.db = db
        self.user_id, self.token = bench_user(db, settings, "bench@example.org")
        now = now_us()
        with db.session() as session:
            collections = [
                Collection(
                    owner_id=self.user_id,
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
                for _ in range(albums)
            ]
            session.add_all(collections)
            session.flush()
            self.album_ids = [collection.id for collection in collections]
            session.commit()
        self.files = 0

    def album_for(self, index: int) -> int:
        """A fifth of the albums hold half the files, so that full pages exist."""
        big = max(1, len(self.album_ids) // 5)
        if index % 2 == 0:
            return self.album_ids[(index // 2) % big]
        return self.album_ids[big + (index // 2) % (len(self.album_ids) - big)]

    def grow_to(self, total: int, batch: int = 5000) -> None:
        while self.files < total:
            count = min(batch, total - self.files)
            now = now_us()
            with self.db.session() as session:
                files = [
                    {
                        "owner_id": self.user_id,
                        "encrypted_metadata": METADATA,
                        "metadata_decryption_header": HEADER,
                        "file_decryption_header": HEADER,
                        "thumbnail_decryption_header": HEADER,
                        "file_size": 3_000_000,
                        "thumb_size": 40_000,
                        "created_at": now,
                        "updation_time": now + i,
                    }
                    for i in range(count)
                ]
                ids = session.scalars(insert(File).returning(File.id), files).all()
                session.execute(
                    insert(CollectionFile),
                    [
                        {
                            "collection_id": self.album_for(self.files + i),
                            "file_id": file_id,
                            "encrypted_key": FILE_KEY,
                            "key_decryption_nonce": NONCE,
                            "is_deleted": False,
                            "c_owner_id": self.user_id,
                            "f_owner_id": self.user_id,
                            "created_at": now,
                            "updation_time": now + i,
                        }
                        for i, file_id in enumerate(ids)
                    ],
                )
                session.commit()
            self.files += count


def _load(
    base_url: str, token: str, paths: list[str], *, clients: int, seconds: float
) -> tuple[float, list[float]]:
    """Requests/s and latencies of `clients` threads cycling through `paths`."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(offset: int) -> None:
        with httpx.Client(base_url=base_url, headers={"X-Auth-Token": token}, timeout=60) as c:
            n = offset
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = c.get(paths[n % len(paths)])
                elapsed = time.perf_counter() - started
                response.raise_for_status()
                with lock:
                    latencies.append(elapsed)
                n += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - started), latencies


def _incremental_sync(base_url: str, token: str, album_id: int, file_ids: list[int]) -> float:
    """Change 10 files, then time what the web does to pick the changes up."""
    with httpx.Client(base_url=base_url, headers={"X-Auth-Token": token}, timeout=60) as c:
        since = max(col["updationTime"] for col in c.get("/collections/v2").json()["collections"])
        meta = {"version": 0, "count": 1, "data": b64(64), "header": HEADER}
        for file_id in file_ids:
            response = c.put(
                "/files/public-magic-metadata",
                json={"metadataList": [{"id": file_id, "magicMetadata": meta}]},
            )
            response.raise_for_status()
        started = time.perf_counter()
        changed = c.get("/collections/v2", params={"sinceTime": since}).json()["collections"]
        rows = 0
        for collection in changed:
            diff = c.get(
                "/collections/v2/diff",
                params={"collectionID": collection["id"], "sinceTime": since},
            ).json()
            rows += len(diff["diff"])
        elapsed = time.perf_counter() - started
    if rows < len(file_ids):
        raise RuntimeError(f"incremental sync saw {rows} rows, expected {len(file_ids)}")
    return elapsed


def _untouched_file_ids(db: Database, album_id: int, count: int, skip: int) -> list[int]:
    with db.session(write=False) as session:
        return list(
            session.scalars(
                select(CollectionFile.file_id)
                .where(CollectionFile.collection_id == album_id)
                .order_by(CollectionFile.file_id)
                .offset(skip)
                .limit(count)
            )
        )


ROUNDS = 5


def _median_sync(base_url: str, library: Library, db: Database, *, skip: int) -> float:
    """Median of a few rounds, each changing 10 files not changed before."""
    album = library.album_ids[0]
    return statistics.median(
        _incremental_sync(
            base_url, library.token, album, _untouched_file_ids(db, album, 10, skip + 10 * n)
        )
        for n in range(ROUNDS)
    )


def _diff_load(base_url: str, library: Library, args: argparse.Namespace) -> tuple[float, str]:
    big = library.album_ids[: max(1, len(library.album_ids) // 5)]
    pages = [f"/collections/v2/diff?collectionID={a}&sinceTime=0" for a in big]
    rps, latencies = _load(
        base_url, library.token, pages, clients=args.clients, seconds=args.seconds
    )
    quantiles = statistics.quantiles(latencies, n=100)
    return rps, f"p50 {quantiles[49] * 1000:.0f} ms   p99 {quantiles[98] * 1000:.0f} ms"


def run(label: str, database_url: str | None, args: argparse.Namespace) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="photo-api-sync-"))
    config = write_config(data_dir, **({"database_url": database_url} if database_url else {}))
    settings = load_settings(config)
    engine = make_engine(settings.resolved_database_url)
    migrate.upgrade(engine)
    db = Database(engine)
    library = Library(db, settings, args.albums)
    server = start_server(config, settings.base_url)
    try:
        print(f"== {label}")
        small = min(10_000, args.files)
        build_started = time.perf_counter()
        library.grow_to(small)
        sync_small = _median_sync(settings.base_url, library, db, skip=0)
        library.grow_to(args.files)
        print(
            f"library built          {args.files} files in {args.albums} albums "
            f"({time.perf_counter() - build_started:.1f} s)"
        )
        sync_full = _median_sync(settings.base_url, library, db, skip=ROUNDS * 10)
        album = library.album_ids[0]
        ours = floor.ours_ms(db, user_id=library.user_id, collection_id=album)
        least = floor.floor_ms(settings.resolved_database_url, album, PAGE)
        print(
            f"diff page, one process {ours:8.1f} ms server work, floor {least:.1f} ms "
            f"(driver + orjson)   floor/ours {least / ours:.2f}"
        )
        ping_rps, _ = _load(
            settings.base_url, library.token, ["/ping"], clients=args.clients, seconds=args.seconds
        )
        one_rps, one_latency = _diff_load(settings.base_url, library, args)
        stop_server(server)
        server = start_server(config, settings.base_url, "--workers", "2")
        two_rps, two_latency = _diff_load(settings.base_url, library, args)
        print(f"/ping                  {ping_rps:8.1f} req/s ({args.clients} clients)")
        print(
            f"diff page ({PAGE} files) {one_rps:8.1f} req/s   {one_latency}   "
            f"ratio to /ping {one_rps / ping_rps:.3f}"
        )
        print(
            f"  with --workers 2     {two_rps:8.1f} req/s   {two_latency}   "
            f"{two_rps / one_rps:.2f}x one worker"
        )
        print(
            f"incremental sync       {sync_small * 1000:8.1f} ms at {small} files, "
            f"{sync_full * 1000:.1f} ms at {args.files} files (10 changes)"
        )
    finally:
        stop_server(server)
        db.dispose()
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--albums", type=int, default=50)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
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
