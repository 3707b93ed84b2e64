"""Replication throughput, local directory to local directory, against a raw copy on the disk.

Writes generated objects into the hot directory of a temp data directory (SQLite), records
them as committed, times `replicate` (stream, hash, atomic write + fsync, read back, hash),
then times a plain read + write + fsync of the same files in the same run.

    .venv/bin/python -m bench.replication [--objects 32] [--size-mib 8] [--dir PARENT]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from photo_api.clock import now_us
from photo_api.config import load_settings
from photo_api.db import migrate
from photo_api.db.engine import make_engine
from photo_api.db.session import Database
from photo_api.models import StoredObject
from photo_api.replication import service
from photo_api.storage.registry import build_stores

MiB = 1024 * 1024
CHUNK = 4 * MiB


def _write_objects(root: Path, *, count: int, size: int) -> list[str]:
    keys = []
    for index in range(count):
        key = f"1/{index:06d}"
        path = root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        block = os.urandom(min(CHUNK, size))
        with path.open("wb") as handle:
            written = 0
            while written < size:
                piece = block[: min(len(block), size - written)]
                handle.write(piece)
                written += len(piece)
            handle.flush()
            os.fsync(handle.fileno())
        keys.append(key)
    return keys


def _raw_copy_seconds(src: Path, dst: Path, keys: list[str]) -> float:
    started = time.perf_counter()
    for key in keys:
        target = dst / key
        target.parent.mkdir(parents=True, exist_ok=True)
        with (src / key).open("rb") as reader, target.open("wb") as writer:
            shutil.copyfileobj(reader, writer, CHUNK)
            writer.flush()
            os.fsync(writer.fileno())
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=32)
    parser.add_argument("--size-mib", type=int, default=8)
    parser.add_argument("--dir", type=Path, default=None, help="parent of the temp directory")
    args = parser.parse_args()
    size = args.size_mib * MiB
    work = Path(tempfile.mkdtemp(prefix="bench-replication-", dir=args.dir))
    try:
        settings = load_settings(
            data_dir=work,
            storage={
                "hot": "hot",
                "backends": {
                    "hot": {"type": "local", "path": str(work / "hot")},
                    "replica": {"type": "local", "path": str(work / "replica")},
                },
            },
        )
        engine = make_engine(settings.resolved_database_url)
        migrate.upgrade(engine)
        db = Database(engine)
        keys = _write_objects(work / "hot", count=args.objects, size=size)
        with db.session() as session:
            now = now_us()
            session.add_all(
                StoredObject(
                    key=key,
                    owner_id=1,
                    state="committed",
                    kind="file",
                    size=size,
                    backend="hot",
                    created_at=now,
                )
                for key in keys
            )
            session.commit()
        started = time.perf_counter()
        result = service.replicate(db, build_stores(settings))
        replicate_seconds = time.perf_counter() - started
        assert result["copied"] == len(keys), result
        raw_seconds = _raw_copy_seconds(work / "hot", work / "raw", keys)
        db.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    total_mib = args.objects * size / MiB
    replicate_rate = total_mib / replicate_seconds
    raw_rate = total_mib / raw_seconds
    print(f"objects               {args.objects} x {args.size_mib} MiB")
    print(f"replicate             {replicate_rate:8.1f} MiB/s  ({replicate_seconds:.2f} s)")
    print(f"raw copy + fsync      {raw_rate:8.1f} MiB/s  ({raw_seconds:.2f} s)")
    print(f"replicate / raw       {replicate_rate / raw_rate:8.2f}")
    print("(replicate reads the source, writes and fsyncs the copy, then reads it back to hash)")


if __name__ == "__main__":
    main()
