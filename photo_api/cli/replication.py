"""photo-api admin replicate | verify: replication run by hand, on the configured database.

Both are resumable: what is done is recorded as it is done, so after Ctrl-C a rerun goes on
where the last one stopped.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tqdm import tqdm  # type: ignore[import-untyped]

from photo_api.cli.common import database, settings_of
from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.config import Settings
from photo_api.db.session import Database
from photo_api.replication import service
from photo_api.storage.registry import Stores, build_stores

EXIT_INTERRUPTED = 130


@contextmanager
def _bar(label: str) -> Iterator[Callable[[int, int], None]]:
    with tqdm(desc=label, unit="obj", file=sys.stderr, dynamic_ncols=True) as bar:

        def progress(done: int, total: int) -> None:
            if bar.total != total:
                bar.total = total
            bar.update(done - bar.n)

        yield progress


def _lag_line(db: Database, stores: Stores) -> str:
    with db.session(write=False) as session:
        lags = service.lag(session, stores)
    return ", ".join(
        f"{name} behind by {lag.lag_objects} object(s) ({lag.lag_bytes} B)"
        for name, lag in lags.items()
    )


def _run(args: argparse.Namespace, label: str, work: Callable[..., dict[str, int]]) -> None:
    settings = settings_of(args)
    stores = build_stores(settings)
    if not any(True for _ in stores.replicas()):
        print("No replicas configured: nothing to do.")
        return
    with database(settings) as db:
        try:
            with _bar(label) as progress:
                counts = work(db, stores, settings=settings, progress=progress)
        except KeyboardInterrupt:
            print(f"{label}: interrupted; run it again to continue.", file=sys.stderr)
            sys.exit(EXIT_INTERRUPTED)
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        print(f"{label}: {summary}; {_lag_line(db, stores)}.")
    unrepaired = counts.get("bad", 0) - counts.get("repaired", 0)
    if counts.get("failed") or counts.get("repair_failed") or counts.get("unreachable"):
        sys.exit(1)
    if unrepaired > 0:
        sys.exit(1)


def replicate(args: argparse.Namespace) -> None:
    def work(db: Database, stores: Stores, *, settings: Settings, **kw: Any) -> dict[str, int]:
        return service.replicate(
            db, stores, limit=args.limit, options=settings.replication, retry_now=True, **kw
        )

    _run(args, "Replication", work)


def verify(args: argparse.Namespace) -> None:
    def work(db: Database, stores: Stores, *, settings: Settings, **kw: Any) -> dict[str, int]:
        before = now_us() - int(args.max_age * MICROS_PER_SECOND)
        return service.verify(
            db,
            stores,
            repair=args.repair,
            options=settings.replication,
            verified_before=before,
            **kw,
        )

    _run(args, "Verification", work)


def register(add: Callable[[str, Callable[[argparse.Namespace], None], str], Any]) -> None:
    copy = add("replicate", replicate, "copy every object to the replicas now")
    copy.add_argument("--limit", type=int, help="stop after this many copies")
    check = add("verify", verify, "re-read every copy, compare checksums, repair bad ones")
    check.add_argument(
        "--no-repair", dest="repair", action="store_false", help="only report bad copies"
    )
    check.add_argument(
        "--max-age",
        type=float,
        default=0,
        metavar="SECONDS",
        help="skip copies verified within this many seconds (default 0: check all)",
    )
