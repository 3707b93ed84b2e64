"""photo-api admin replicate | verify: replication run by hand, on the configured database.

Both are resumable: what is done is recorded as it is done, so after Ctrl-C a rerun goes on
where the last one stopped. Each copy found bad, repaired, failed or unreadable is named on
stdout (and in the log), above the progress bar rather than in it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tqdm import tqdm  # type: ignore[import-untyped]
from tqdm.contrib.logging import logging_redirect_tqdm  # type: ignore[import-untyped]

from photo_api.cli.common import database, settings_of
from photo_api.cli.units import format_duration, format_size
from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.config import Settings
from photo_api.db.session import Database
from photo_api.replication import service, verification
from photo_api.replication.service import CopyEvent
from photo_api.storage.registry import Stores, build_stores

EXIT_INTERRUPTED = 130


@contextmanager
def _bar(label: str) -> Iterator[Callable[[int, int], None]]:
    # Log lines go through tqdm.write too, so that the bar's redraw does not erase them.
    with (
        tqdm(desc=label, unit="obj", file=sys.stderr, dynamic_ncols=True) as bar,
        logging_redirect_tqdm(),
    ):

        def progress(done: int, total: int) -> None:
            if bar.total != total:
                bar.total = total
            bar.update(done - bar.n)

        yield progress


def _event_line(event: CopyEvent) -> str:
    return f"{event.outcome}: {event.key} on {event.backend}: {event.reason}"


def _report(event: CopyEvent) -> None:
    tqdm.write(_event_line(event), file=sys.stdout)


def _lag_line(db: Database, stores: Stores) -> str:
    with db.session(write=False) as session:
        lags = service.lag(session, stores)
    now = now_us()
    parts = []
    for name, lag in lags.items():
        part = f"{name} behind by {lag.lag_objects} object(s) ({format_size(lag.lag_bytes)})"
        if lag.oldest_pending_at is not None and lag.lag_objects:
            age = (now - lag.oldest_pending_at) / MICROS_PER_SECOND
            part += f", the oldest waiting {format_duration(max(age, 0))}"
        parts.append(part)
    return ", ".join(parts)


def _run(args: argparse.Namespace, label: str, work: Callable[..., dict[str, int]]) -> int:
    settings = settings_of(args, secrets=True)
    stores = build_stores(settings)
    if not any(True for _ in stores.replicas()):
        print("No replicas configured: nothing to do.")
        return 0
    with database(settings) as db:
        try:
            with _bar(label) as progress:
                counts = work(db, stores, settings=settings, progress=progress, report=_report)
        except KeyboardInterrupt:
            print(f"{label}: interrupted; run it again to continue.", file=sys.stderr)
            return EXIT_INTERRUPTED
        summary = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items())
        print(f"{label}: {summary}; {_lag_line(db, stores)}.")
    unrepaired = counts.get("bad", 0) - counts.get("repaired", 0)
    failed = counts.get("failed") or counts.get("repair_failed") or counts.get("unreachable")
    return 1 if failed or unrepaired > 0 else 0


def replicate(args: argparse.Namespace) -> int:
    def work(db: Database, stores: Stores, *, settings: Settings, **kw: Any) -> dict[str, int]:
        return service.replicate(
            db, stores, limit=args.limit, options=settings.replication, retry_now=True, **kw
        )

    return _run(args, "Replication", work)


def verify(args: argparse.Namespace) -> int:
    def work(db: Database, stores: Stores, *, settings: Settings, **kw: Any) -> dict[str, int]:
        before = now_us() - int(args.max_age * MICROS_PER_SECOND)
        return verification.verify(
            db,
            stores,
            repair=args.repair,
            options=settings.replication,
            verified_before=before,
            **kw,
        )

    return _run(args, "Verification", work)
