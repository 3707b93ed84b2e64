"""The whole Legacy cycle with the real crypto: a trusted contact recovers an account."""

from __future__ import annotations

import base64

from photo_api.jobs import legacy as legacy_job
from tests.accounts.test_two_factor import enable_totp
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import NEW_PASSWORD, Account, srp_login
from tests.fixtures.smtp import SmtpServer
from tests.legacy.flow import (
    add_contact,
    age,
    body,
    change,
    info,
    init_change,
    mail,
    new_password_request,
    owners_master_key,
    pair,
    recovery_row,
    set_state,
    start,
)
from tests.passkeys.conftest import accounts_app, register


def test_owner_blocks_one_recovery_and_the_contact_completes_the_next(
    server: RunningServer, smtp_server: SmtpServer, owner: Account, contact: Account
) -> None:
    box = smtp_server.mailbox
    enable_totp(owner)
    register(accounts_app(server, owner))
    owner_id, contact_id = owner.client.user_id, contact.client.user_id

    # The owner invites; both are told.
    seen = box.count()
    added = add_contact(owner, contact)
    assert (added.status_code, added.content) == (200, b"")
    invite = mail(
        box, to=contact.email, subject="You have been added as a trusted contact", after=seen
    )
    assert owner.email in body(invite)
    mail(box, to=owner.email, subject="Trusted contact invited", after=seen)
    entry = {
        "user": {"id": owner_id, "email": owner.email},
        "emergencyContact": {"id": contact_id, "email": contact.email},
        "state": "INVITED",
        "recoveryNoticeInDays": 30,
    }
    assert info(owner.client) == {
        "contacts": [entry],
        "recoverSessions": [],
        "othersEmergencyContact": [],
        "othersRecoverySession": [],
    }
    assert info(contact.client)["othersEmergencyContact"] == [entry]

    # Not before accepting.
    early = contact.client.post("/emergency-contacts/start-recovery", json=pair(owner, contact))
    assert early.status_code == 404

    seen = box.count()
    accepted = set_state(contact, owner=owner, contact=contact, state="ACCEPTED")
    assert (accepted.status_code, accepted.json()) == (200, {})
    mail(box, to=owner.email, subject="Trusted contact added", after=seen)
    assert info(owner.client)["contacts"][0]["state"] == "ACCEPTED"

    # First recovery: the owner is told, and blocks it.
    seen = box.count()
    first = start(owner, contact)
    started = mail(box, to=owner.email, subject="Ente account recovery initiated", after=seen)
    assert contact.email in body(started) and "30 days" in body(started)
    (session,) = info(owner.client)["recoverSessions"]
    assert session["id"] == first and session["status"] == "WAITING"
    assert session["emergencyContact"] == {"id": contact_id, "email": contact.email}
    assert 29.9 * 86400e6 < session["waitTill"] <= 30 * 86400e6  # what is left, in µs
    not_yet = contact.client.get(f"/emergency-contacts/recovery-info/{first}")
    assert not_yet.status_code == 400
    assert not_yet.json()["message"] == "recovery wait time is not over"

    seen = box.count()
    rejected = owner.client.post(
        "/emergency-contacts/reject-recovery", json=pair(owner, contact, id=first)
    )
    assert (rejected.status_code, rejected.json()) == (200, {})
    mail(box, to=contact.email, subject="Ente account recovery blocked", after=seen)
    assert info(owner.client)["recoverSessions"] == []
    blocked = contact.client.get(f"/emergency-contacts/recovery-info/{first}")
    assert blocked.status_code == 400
    assert blocked.json()["message"] == "recovery status is not waiting or ready"

    # Second recovery: the notice period passes, the timer makes it ready and says so.
    second = start(owner, contact)
    assert second != first
    age(server, second, days=30.01)
    (waiting,) = info(contact.client)["othersRecoverySession"]
    assert (waiting["status"], waiting["waitTill"]) == ("READY", 0)
    seen = box.count()
    assert legacy_job.run(server.app.state.db, server.settings)["ready"] >= 1
    mail(box, to=contact.email, subject="Ente account recoverable", after=seen)
    mail(box, to=owner.email, subject="Ente account recoverable", after=seen)
    assert recovery_row(server, second).status == "READY"

    # The contact opens the sealed recovery key, then the owner's master key.
    keys = owner.client.keys
    assert keys is not None
    master_key, attrs = owners_master_key(contact, second)
    assert master_key == keys.master_key
    assert attrs["publicKey"] == owner.key_attributes["publicKey"]

    request, srp = new_password_request(master_key, NEW_PASSWORD)
    setup = init_change(contact, second, request["setupSRPRequest"])
    assert setup.status_code == 200, setup.text
    setup_id = setup.json()["setupID"]
    m1 = srp.process_challenge(base64.b64decode(setup.json()["srpB"]))

    # A wrong proof changes nothing, the owner's second factor included.
    wrong = change(
        contact, second, setup_id=setup_id, m1=bytes(32), key_attrs=request["updatedKeyAttr"]
    )
    assert wrong.status_code == 401
    assert owner.client.get("/users/two-factor/status").json() == {"status": True}

    seen = box.count()
    done = change(contact, second, setup_id=setup_id, m1=m1, key_attrs=request["updatedKeyAttr"])
    assert done.status_code == 200, done.text
    assert done.json()["setupID"] == setup_id
    assert srp.verify_m2(base64.b64decode(done.json()["srpM2"]))
    reset = mail(box, to=owner.email, subject="Ente account password reset", after=seen)
    assert contact.email in body(reset)
    mail(box, to=contact.email, subject="Ente account recovery successful", after=seen)

    # The owner's sessions are over; the old password is refused, the new one logs in
    # without a second factor (TOTP and passkey gone) and opens the same master key.
    assert owner.client.get("/users/details/v2").status_code == 401
    _, old = srp_login(server.url, owner.email, owner.password)
    assert old.status_code == 401
    client, fresh = srp_login(server.url, owner.email, NEW_PASSWORD)
    assert fresh.status_code == 200, fresh.text
    assert "encryptedToken" in fresh.json() and fresh.json()["passkeySessionID"] == ""
    client.adopt(fresh.json(), password=NEW_PASSWORD)
    assert client.keys is not None and client.keys.master_key == keys.master_key
    profile = client.get("/users/details/v2").json()["profileData"]
    assert profile["isTwoFactorEnabled"] is False

    # The recovery is over, the contact stays trusted, and its material is closed again.
    assert recovery_row(server, second).status == "RECOVERED"
    after = info(contact.client)
    assert after["othersRecoverySession"] == []
    assert after["othersEmergencyContact"][0]["state"] == "ACCEPTED"
    assert contact.client.get(f"/emergency-contacts/recovery-info/{second}").status_code == 400
