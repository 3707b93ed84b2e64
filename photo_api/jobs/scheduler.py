"""Runs each job every so often in a worker thread, for as long as the server runs.

Several server processes may share a database (`serve --workers`, or several machines): a
shared job's run belongs to the process that takes its lease for the interval, so each run's
work is done once. Jobs stay idempotent and lock the rows they change, so that a run by hand
(`photo-api admin run-job`) or a run outliving its lease is still safe.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

import structlog
from starlette.concurrency import run_in_threadpool

from photo_api import metrics
from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.db.session import Database
from photo_api.jobs import repo

log = structlog.get_logger("photo_api.jobs")


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    every_seconds: float
    run: Callable[[], object]
    # False for work on this process's own state, which every process must do.
    shared: bool = True


def _claim(db: Database, job: Job, holder: str) -> bool:
    now = now_us()
    with db.session() as session:
        won = repo.claim(
            session,
            name=job.name,
            holder=holder,
            now=now,
            until=now + int(job.every_seconds * MICROS_PER_SECOND),
        )
        session.commit()
    return won


async def _loop(job: Job, db: Database, holder: str) -> None:
    while True:
        started = time.perf_counter()
        try:
            if job.shared and not await run_in_threadpool(_claim, db, job, holder):
                await asyncio.sleep(job.every_seconds)
                continue
            result = await run_in_threadpool(job.run)
            log.info(
                "job done",
                job=job.name,
                result=result,
                ms=round((time.perf_counter() - started) * 1000, 1),
            )
            metrics.record_job_run(job.name, ok=True, seconds=time.perf_counter() - started)
        except Exception:
            log.exception("job failed", job=job.name)
            metrics.record_job_run(job.name, ok=False, seconds=time.perf_counter() - started)
        await asyncio.sleep(job.every_seconds)


class Scheduler:
    def __init__(self, jobs: list[Job], db: Database) -> None:
        self.jobs = jobs
        self.db = db
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self.tasks = [
            asyncio.create_task(_loop(job, self.db, self.holder), name=job.name)
            for job in self.jobs
        ]

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
