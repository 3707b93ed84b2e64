"""Deleting an account ends its Legacy both ways: its contacts, and the accounts it guards."""

from __future__ import annotations

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.smtp import SmtpServer
from tests.legacy.flow import add_contact, info, mail, recovery_row, set_state, start
from tests.sharing.test_account_deletion import delete_account


def test_deleted_account_loses_its_contacts_and_stops_being_one(
    owner: Account,
    contact: Account,
    stranger: Account,
    server: RunningServer,
    smtp_server: SmtpServer,
) -> None:
    box = smtp_server.mailbox
    # The owner trusts the contact (who is recovering the account) and guards the stranger's.
    for guarded, guard in ((owner, contact), (stranger, owner)):
        assert add_contact(guarded, guard).status_code == 200
        assert set_state(guard, owner=guarded, contact=guard, state="ACCEPTED").status_code == 200
    recovery_id = start(owner, contact)

    seen = box.count()
    delete_account(owner)
    mail(box, to=contact.email, subject="Legacy account access removed", after=seen)
    mail(box, to=contact.email, subject="Ente account recovery blocked", after=seen)
    mail(box, to=stranger.email, subject="Trusted contact removed", after=seen)
    assert recovery_row(server, recovery_id).status == "REJECTED"
    for account in (contact, stranger):
        assert info(account.client) == {
            "contacts": [],
            "recoverSessions": [],
            "othersEmergencyContact": [],
            "othersRecoverySession": [],
        }
