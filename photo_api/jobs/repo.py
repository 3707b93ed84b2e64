"""SQL for job leases: which process runs a job's next run."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from photo_api.db import upsert
from photo_api.db.results import affected_rows
from photo_api.models import JobLease


def claim(session: Session, *, name: str, holder: str, now: int, until: int) -> bool:
    """Take the job's lease if no one holds it now: one conditional UPDATE, so of processes
    racing for it on either database exactly one wins."""
    session.execute(
        upsert.insert(session, JobLease)
        .values(name=name, holder="", until=0)
        .on_conflict_do_nothing()
    )
    won = session.execute(
        update(JobLease)
        .where(JobLease.name == name, JobLease.until <= now)
        .values(holder=holder, until=until)
    )
    return affected_rows(won) == 1
