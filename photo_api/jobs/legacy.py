"""Legacy's timer: recoveries whose notice is over become READY, owners get reminders.

Safe in several processes: each change is a conditional UPDATE that only one process wins,
and only the winner mails, after its transaction has committed.
"""

from __future__ import annotations

import asyncio

from fastapi import BackgroundTasks

from photo_api.clock import now_us
from photo_api.config import Settings
from photo_api.db.session import Database
from photo_api.legacy import recovery, repo
from photo_api.mail import Outbox

RECOVERIES_PER_RUN = 1000


def run(db: Database, settings: Settings, *, now: int | None = None) -> dict[str, int]:
    now = now or now_us()
    done = {"ready": 0, "reminded": 0}
    with db.session(write=False) as session:
        rows = repo.due(session, now=now, limit=RECOVERIES_PER_RUN)
    for row in rows:
        # Each recovery in its own transaction, its mails sent once that has committed.
        mail = BackgroundTasks()
        with db.session() as session:
            outcome = recovery.remind_or_ready(
                session, outbox=Outbox(settings.smtp, mail), row=row, now=now
            )
            session.commit()
        if outcome is not None:
            done[outcome] += 1
            # Jobs run in a worker thread (or the CLI), where no event loop is running.
            asyncio.run(mail())
    return done
