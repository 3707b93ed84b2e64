"""The hourly timer: reminders on museum's schedule, READY once the notice is over, and
each reminder or READY mailed once however many processes run the job."""

from __future__ import annotations

import threading

import pytest

from photo_api.jobs import legacy as legacy_job
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.smtp import SmtpServer
from tests.legacy.flow import (
    add_contact,
    age,
    body,
    days_from_now,
    mail,
    recovery_row,
    set_state,
    start,
    subjects,
)

REMINDER = "Ente account recovery due"
READY = "Ente account recoverable"


def run_job(server: RunningServer) -> dict[str, int]:
    return legacy_job.run(server.app.state.db, server.settings)


def accept(owner: Account, contact: Account, days: int) -> None:
    assert add_contact(owner, contact, recoveryNoticeInDays=days).status_code == 200
    assert set_state(contact, owner=owner, contact=contact, state="ACCEPTED").status_code == 200


@pytest.mark.parametrize(
    ("notice", "reminders"),
    [
        # (days into the notice, days left the mail says)
        (30, [(7, 23), (14, 16), (21, 9), (28, 2)]),
        (7, [(1, 6), (5, 2)]),
    ],
)
def test_reminders_then_ready(
    notice: int,
    reminders: list[tuple[int, int]],
    owner: Account,
    contact: Account,
    server: RunningServer,
    smtp_server: SmtpServer,
) -> None:
    box = smtp_server.mailbox
    accept(owner, contact, notice)
    recovery_id = start(owner, contact)
    elapsed = 0.0
    for day, days_left in reminders:
        # Just before it is due: nothing.
        age(server, recovery_id, days=day - elapsed - 0.01)
        seen = box.count()
        run_job(server)
        assert REMINDER not in subjects(box, to=owner.email, after=seen)
        age(server, recovery_id, days=0.02)
        elapsed = day + 0.01
        seen = box.count()
        run_job(server)
        reminder = mail(box, to=owner.email, subject=REMINDER, after=seen)
        assert f"in {days_left} days" in body(reminder) and contact.email in body(reminder)
        # Run again at once: the reminder was moved on, no second mail.
        run_job(server)
        assert subjects(box, to=owner.email, after=seen).count(REMINDER) == 1
        assert recovery_row(server, recovery_id).status == "WAITING"
    assert days_from_now(recovery_row(server, recovery_id).wait_till) > 0
    age(server, recovery_id, days=notice - elapsed + 0.01)
    seen = box.count()
    run_job(server)
    mail(box, to=owner.email, subject=READY, after=seen)
    mail(box, to=contact.email, subject=READY, after=seen)
    assert recovery_row(server, recovery_id).status == "READY"
    run_job(server)
    assert subjects(box, to=contact.email, after=seen).count(READY) == 1


def test_concurrent_runs_mail_each_change_once(
    owner: Account, contact: Account, server: RunningServer, smtp_server: SmtpServer
) -> None:
    box = smtp_server.mailbox
    accept(owner, contact, 30)
    recovery_id = start(owner, contact)

    def race() -> None:
        barrier = threading.Barrier(3)
        errors: list[BaseException] = []

        def job() -> None:
            barrier.wait()
            try:
                run_job(server)
            except BaseException as exc:  # reported below, in the test's thread
                errors.append(exc)

        threads = [threading.Thread(target=job) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []

    age(server, recovery_id, days=7.01)
    seen = box.count()
    race()
    mail(box, to=owner.email, subject=REMINDER, after=seen)
    assert subjects(box, to=owner.email, after=seen).count(REMINDER) == 1

    age(server, recovery_id, days=23.01)
    seen = box.count()
    race()
    mail(box, to=contact.email, subject=READY, after=seen)
    assert subjects(box, to=contact.email, after=seen).count(READY) == 1
    assert subjects(box, to=owner.email, after=seen).count(READY) == 1
