"""Recoveries: only their two parties act on them, one at a time, and the password reset
refuses what is not the contact's own proof for the owner."""

from __future__ import annotations

import base64
import uuid

import pytest
from sqlalchemy import text

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import NEW_PASSWORD, Account, srp_setup
from tests.fixtures.smtp import SmtpServer
from tests.legacy.flow import (
    add_contact,
    age,
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


@pytest.fixture
def accepted(owner: Account, contact: Account) -> None:
    assert add_contact(owner, contact).status_code == 200
    assert set_state(contact, owner=owner, contact=contact, state="ACCEPTED").status_code == 200


def act(account: Account, action: str, body: dict[str, object]) -> int:
    return account.client.post(f"/emergency-contacts/{action}-recovery", json=body).status_code


@pytest.mark.usefixtures("accepted")
def test_start_is_for_the_accepted_contact_only(
    owner: Account, contact: Account, stranger: Account, server: RunningServer
) -> None:
    def start_as(account: Account, body: dict[str, object]) -> int:
        return account.client.post("/emergency-contacts/start-recovery", json=body).status_code

    assert start_as(stranger, pair(owner, contact)) == 403
    assert start_as(owner, pair(owner, contact)) == 403
    assert start_as(stranger, pair(owner, stranger)) == 404
    assert start_as(contact, pair(contact, contact)) == 400
    assert start_as(contact, {"userID": owner.client.user_id}) == 400
    # A notice of a day or less could never be waited out properly (museum refuses it too).
    with server.app.state.db.session() as session:
        session.execute(
            text(
                "UPDATE emergency_contacts SET notice_period_hours = 24 "
                "WHERE user_id = :o AND emergency_contact_id = :c"
            ),
            {"o": owner.client.user_id, "c": contact.client.user_id},
        )
        session.commit()
    response = contact.client.post("/emergency-contacts/start-recovery", json=pair(owner, contact))
    assert response.status_code == 400
    assert response.json()["message"] == "notice period should be greater than 24 hours"


@pytest.mark.usefixtures("accepted")
def test_one_live_recovery_per_pair(
    owner: Account, contact: Account, server: RunningServer, smtp_server: SmtpServer
) -> None:
    first = start(owner, contact)
    seen = smtp_server.mailbox.count()
    assert act(owner, "approve", pair(owner, contact, id=first)) == 200
    mail(smtp_server.mailbox, to=contact.email, subject="Ente account recoverable", after=seen)
    mail(smtp_server.mailbox, to=owner.email, subject="Ente account recoverable", after=seen)
    assert recovery_row(server, first).status == "READY"
    # museum would open a second, WAITING one beside the READY one.
    again = contact.client.post("/emergency-contacts/start-recovery", json=pair(owner, contact))
    assert again.status_code == 200
    assert [s["id"] for s in info(owner.client)["recoverSessions"]] == [first]
    assert act(owner, "approve", pair(owner, contact, id=first)) == 200
    assert recovery_row(server, first).status == "READY"


@pytest.mark.usefixtures("accepted")
def test_a_recovery_is_acted_on_by_its_own_parties_only(
    owner: Account, contact: Account, stranger: Account, server: RunningServer
) -> None:
    recovery_id = start(owner, contact)
    # The stranger's own ids in the body do not reach someone else's recovery (museum: they do).
    assert act(stranger, "reject", pair(stranger, contact, id=recovery_id)) == 404
    assert act(stranger, "approve", pair(stranger, contact, id=recovery_id)) == 404
    assert act(stranger, "stop", pair(owner, stranger, id=recovery_id)) == 404
    # Each party, their own actions only.
    assert act(contact, "reject", pair(owner, contact, id=recovery_id)) == 403
    assert act(contact, "approve", pair(owner, contact, id=recovery_id)) == 403
    assert act(owner, "stop", pair(owner, contact, id=recovery_id)) == 403
    assert act(owner, "reject", pair(owner, contact, id=str(uuid.uuid4()))) == 404
    assert act(owner, "reject", pair(owner, contact, id="not-a-uuid")) == 400
    assert act(owner, "reject", pair(owner, contact)) == 400
    assert recovery_row(server, recovery_id).status == "WAITING"

    age(server, recovery_id, days=31)
    for account in (stranger, owner):
        assert (
            account.client.get(f"/emergency-contacts/recovery-info/{recovery_id}").status_code
            == 403
        )
        request, _ = new_password_request(b"\0" * 32, NEW_PASSWORD)
        assert init_change(account, recovery_id, request["setupSRPRequest"]).status_code == 403
    missing = contact.client.get(f"/emergency-contacts/recovery-info/{uuid.uuid4()}")
    assert missing.status_code == 404
    assert contact.client.get("/emergency-contacts/recovery-info/nonsense").status_code == 400


@pytest.mark.usefixtures("accepted")
def test_contact_stops_and_repeats_are_harmless(
    owner: Account, contact: Account, server: RunningServer, smtp_server: SmtpServer
) -> None:
    recovery_id = start(owner, contact)
    seen = smtp_server.mailbox.count()
    assert act(contact, "stop", pair(owner, contact, id=recovery_id)) == 200
    mail(smtp_server.mailbox, to=owner.email, subject="Ente account recovery cancelled", after=seen)
    assert act(contact, "stop", pair(owner, contact, id=recovery_id)) == 200
    assert act(owner, "reject", pair(owner, contact, id=recovery_id)) == 200
    assert act(owner, "approve", pair(owner, contact, id=recovery_id)) == 200
    assert recovery_row(server, recovery_id).status == "STOPPED"
    assert info(owner.client)["recoverSessions"] == []


@pytest.mark.usefixtures("accepted")
def test_password_reset_refuses_what_is_not_the_contacts_proof(
    owner: Account, contact: Account, server: RunningServer
) -> None:
    recovery_id = start(owner, contact)
    age(server, recovery_id, days=31)
    master_key, _ = owners_master_key(contact, recovery_id)
    request, srp = new_password_request(master_key, NEW_PASSWORD)
    key_attrs = request["updatedKeyAttr"]

    # A setup the contact made for their own account cannot reset the owner's password.
    keys = contact.client.keys
    assert keys is not None
    own_setup, _ = srp_setup(contact.client, password=contact.password, kek=keys.kek)
    foreign = change(
        contact,
        recovery_id,
        setup_id=own_setup["setupID"],
        m1=base64.b64decode(own_setup["srpM1"]),
        key_attrs=key_attrs,
    )
    assert foreign.status_code == 404

    setup = init_change(contact, recovery_id, request["setupSRPRequest"])
    assert setup.status_code == 200, setup.text
    setup_id = setup.json()["setupID"]
    m1 = srp.process_challenge(base64.b64decode(setup.json()["srpB"]))
    # The owner cannot complete it either: it is the contact's recovery.
    assert (
        change(owner, recovery_id, setup_id=setup_id, m1=m1, key_attrs=key_attrs).status_code == 403
    )
    weak = {**key_attrs, "memLimit": 64 * 1024 * 1024, "opsLimit": 64}
    assert change(contact, recovery_id, setup_id=setup_id, m1=m1, key_attrs=weak).status_code == 400
    bare = contact.client.post(
        "/emergency-contacts/change-password",
        json={"recoveryID": recovery_id, "updateSrpAndKeysRequest": {"setupID": setup_id}},
    )
    assert bare.status_code == 400
    assert recovery_row(server, recovery_id).status == "WAITING"
    # The owner still signs in as before.
    assert owner.client.get("/users/details/v2").status_code == 200
    ok = change(contact, recovery_id, setup_id=setup_id, m1=m1, key_attrs=key_attrs)
    assert ok.status_code == 200, ok.text
    assert recovery_row(server, recovery_id).status == "RECOVERED"
    # Once recovered, the same proof cannot be played again.
    replay = change(contact, recovery_id, setup_id=setup_id, m1=m1, key_attrs=key_attrs)
    assert replay.status_code == 400
