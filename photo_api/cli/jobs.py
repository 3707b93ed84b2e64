"""photo-api admin jobs | run-job: the background jobs, inspected and run by hand.

Jobs are safe to run while servers run theirs (they claim their work in the database), so
an operator can drain a backlog or check a fix without waiting for the next scheduled run.
"""

from __future__ import annotations

import argparse

from photo_api.cli.common import CommandError, database, settings_of, table
from photo_api.cli.units import format_size
from photo_api.clock import now_us
from photo_api.db.session import Database
from photo_api.files import repo as files_repo
from photo_api.legacy import repo as legacy_repo
from photo_api.main import background_jobs
from photo_api.replication import service as replication
from photo_api.storage.registry import Stores, build_stores
from photo_api.trash import repo as trash_repo

# What the jobs that return a bare count have counted.
COUNTED = {"trash_expiry": "trashed file(s) deleted for good"}


def _waiting(db: Database, stores: Stores) -> dict[str, str]:
    """What each job would find to do if it ran now."""
    now = now_us()
    with db.session(write=False) as session:
        objects = files_repo.count_objects_due(session, now=now)
        trash = trash_repo.count_expired_items(session, now=now)
        lags = replication.lag(session, stores)
        recoveries = legacy_repo.count_due(session, now=now)
    return {
        "expiry": "expired codes, SRP attempts, rate counters and memory links",
        "trash_expiry": f"{trash} trashed file(s) past retention",
        "object_cleanup": (
            f"{objects.get('pending', 0)} abandoned upload(s), "
            f"{objects.get('deleted', 0)} deleted object(s), "
            f"{objects.get('removing', 0)} removal(s) to retry"
        ),
        "legacy": f"{recoveries} Legacy recovery(ies) due to become ready or to remind",
        "replication": ", ".join(
            f"{name}: {lag.lag_objects} object(s) ({format_size(lag.lag_bytes)}) behind"
            for name, lag in lags.items()
        ),
        "verify": "copies not read back within its interval",
    }


def readable(name: str, result: object) -> str:
    """A job's result as a line: "3 abandoned, 0 deleted, 0 failed"."""
    if isinstance(result, dict):
        parts = [f"{count} {what.replace('_', ' ')}" for what, count in result.items()]
        return ", ".join(parts) or "nothing to do"
    if isinstance(result, int):
        return f"{result} {COUNTED.get(name, 'item(s) done')}"
    return "done" if result is None else str(result)


def list_jobs(args: argparse.Namespace) -> None:
    settings = settings_of(args, secrets=True)
    stores = build_stores(settings)
    with database(settings) as db:
        jobs = background_jobs(db, settings, stores)
        waiting = _waiting(db, stores)
    rows = [[job.name, f"every {job.every_seconds:g}s", waiting[job.name]] for job in jobs]
    print(table(["JOB", "SCHEDULE", "WAITING"], rows))
    if not settings.jobs_enabled:
        print("jobs_enabled is false: servers run none of these; use run-job.")


def run_job(args: argparse.Namespace) -> None:
    settings = settings_of(args, secrets=True)
    stores = build_stores(settings)
    with database(settings) as db:
        jobs = {job.name: job for job in background_jobs(db, settings, stores)}
        if args.name not in jobs:
            raise CommandError(f"no job {args.name!r}; the jobs are {', '.join(jobs)}")
        result = jobs[args.name].run()
    print(f"{args.name}: {readable(args.name, result)}")
