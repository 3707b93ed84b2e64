"""Runs each job every so often in a worker thread, for as long as the server runs.

Jobs are idempotent and safe to run in several server processes at once; those that must
not overlap take database row locks themselves.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

import structlog
from starlette.concurrency import run_in_threadpool

from photo_api import metrics

log = structlog.get_logger("photo_api.jobs")


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    every_seconds: float
    run: Callable[[], object]


async def _loop(job: Job) -> None:
    while True:
        started = time.perf_counter()
        try:
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
    def __init__(self, jobs: list[Job]) -> None:
        self.jobs = jobs
        self.tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self.tasks = [asyncio.create_task(_loop(job), name=job.name) for job in self.jobs]

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
