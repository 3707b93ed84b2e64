"""Upload throughput of the local backend against the raw speed of the same disk.

Starts `photo-api serve` as its own process (SQLite, local storage, a temp data directory),
streams one generated object to a checksum-bound signed PUT URL, and prints the upload speed,
the write+fsync speed of the same directory, their ratio, and the server's peak memory.

    .venv/bin/python -m bench.upload_local [--size-mib 1024] [--dir PARENT]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench.common import start_server, stop_server, write_config
from photo_api.config import load_settings
from photo_api.storage.local import LocalStore
from photo_api.storage.registry import build_stores

MiB = 1024 * 1024
CHUNK = 4 * MiB
# A fixed random block, repeated: generating fresh random bytes would measure the generator.
BLOCK = os.urandom(CHUNK)


def _chunks(size: int) -> Iterator[bytes]:
    sent = 0
    while sent < size:
        piece = BLOCK[: min(CHUNK, size - sent)]
        sent += len(piece)
        yield piece


def _md5_b64(size: int) -> str:
    md5 = hashlib.md5()
    for piece in _chunks(size):
        md5.update(piece)
    return base64.b64encode(md5.digest()).decode()


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/{pid}/status")


class RssSampler(threading.Thread):
    """Polls a process's resident memory; VmHWM alone would include start-up peaks."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.peak_kib = max(self.peak_kib, _status_kib(self.pid, "VmRSS"))
            time.sleep(0.01)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _raw_write_seconds(directory: Path, size: int) -> float:
    path = directory / ".bench-raw"
    started = time.perf_counter()
    with path.open("wb") as handle:
        for piece in _chunks(size):
            handle.write(piece)
        handle.flush()
        os.fsync(handle.fileno())
    elapsed = time.perf_counter() - started
    path.unlink()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--dir", type=Path, default=None, help="parent of the temp data dir")
    args = parser.parse_args()
    size = args.size_mib * MiB

    data_dir = Path(tempfile.mkdtemp(prefix="photo-api-bench-", dir=args.dir))
    config = write_config(data_dir)
    # Same config file, so the same secrets.json: URLs we sign here verify in the server.
    settings = load_settings(config)
    store = build_stores(settings).hot
    if not isinstance(store, LocalStore):
        raise RuntimeError("the bench measures the local backend")
    content_md5 = _md5_b64(size)
    key = "1/bench-upload"
    url = store.presign_put(key, ttl=3600, content_length=size, content_md5=content_md5)

    objects = store.path(key).parent
    objects.mkdir(parents=True, exist_ok=True)
    server = start_server(config, settings.base_url)
    try:
        # The disk's speed drifts with the host's caches: measured before and after.
        raw_seconds = [_raw_write_seconds(objects, size)]
        idle_kib = _status_kib(server.pid, "VmRSS")
        sampler = RssSampler(server.pid)
        sampler.start()
        started = time.perf_counter()
        response = httpx.put(
            url,
            content=_chunks(size),
            headers={"Content-Length": str(size), "Content-MD5": content_md5},
            timeout=600,
        )
        upload_seconds = time.perf_counter() - started
        sampler.stop()
        response.raise_for_status()
        hwm_kib = _status_kib(server.pid, "VmHWM")
        info = store.head(key)
        if info is None or info.size != size:
            raise RuntimeError(f"stored object is {info}, expected {size} bytes")
        store.delete(key)
        raw_seconds.append(_raw_write_seconds(objects, size))
    finally:
        stop_server(server)
        shutil.rmtree(data_dir, ignore_errors=True)

    upload_rate = size / MiB / upload_seconds
    raw_rates = [size / MiB / seconds for seconds in raw_seconds]
    raw_rate = sum(raw_rates) / len(raw_rates)
    print(f"object size           {args.size_mib} MiB")
    print(f"upload (signed PUT)   {upload_rate:8.1f} MiB/s  ({upload_seconds:.2f} s)")
    print(
        f"raw write+fsync       {raw_rate:8.1f} MiB/s  "
        f"(before {raw_rates[0]:.1f}, after {raw_rates[1]:.1f})"
    )
    print(f"upload / raw          {upload_rate / raw_rate:8.2f}")
    print(f"server RSS idle       {idle_kib / 1024:8.1f} MiB")
    print(
        f"server RSS peak       {sampler.peak_kib / 1024:8.1f} MiB during the upload "
        f"(VmHWM {hwm_kib / 1024:.1f} MiB)"
    )


if __name__ == "__main__":
    main()
