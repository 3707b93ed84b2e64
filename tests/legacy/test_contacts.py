"""Inviting, answering and ending trusted contacts: who may do what, and who is told."""

from __future__ import annotations

import pytest

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient
from tests.fixtures.smtp import SmtpServer
from tests.legacy.flow import add_contact, info, mail, pair, set_state, start, subjects


@pytest.fixture
def accepted(owner: Account, contact: Account) -> None:
    assert add_contact(owner, contact).status_code == 200
    assert set_state(contact, owner=owner, contact=contact, state="ACCEPTED").status_code == 200


def test_add_refuses_unknown_self_and_bad_input(owner: Account, contact: Account) -> None:
    def add(**body: object) -> tuple[int, str]:
        response = owner.client.post("/emergency-contacts/add", json=body)
        return response.status_code, response.json().get("message", "")

    key = "A" * 108
    assert add(email="nobody-here@example.org", encryptedKey=key)[0] == 404
    assert add(email=owner.email, encryptedKey=key) == (
        400,
        "user cannot add themself as emergency contact",
    )
    assert add(email=contact.email, encryptedKey="not base64!")[0] == 400
    assert add(email=contact.email)[0] == 400
    assert add(encryptedKey=key)[0] == 400
    for days in (0, 1, 61, -3, 2**40):
        assert add(email=contact.email, encryptedKey=key, recoveryNoticeInDays=days)[0] == 400
    assert info(owner.client)["contacts"] == []
    assert EnteClient(owner.client.base_url).post("/emergency-contacts/add").status_code == 401


def test_notice_is_set_at_add_and_kept_while_invited(
    owner: Account, contact: Account, smtp_server: SmtpServer
) -> None:
    seen = smtp_server.mailbox.count()
    assert add_contact(owner, contact, recoveryNoticeInDays=7).status_code == 200
    invite = "You have been added as a trusted contact"
    mail(smtp_server.mailbox, to=contact.email, subject=invite, after=seen)
    mail(smtp_server.mailbox, to=owner.email, subject="Trusted contact invited", after=seen)
    # Adding again while invited changes nothing and tells nobody again (as museum).
    seen = smtp_server.mailbox.count()
    assert add_contact(owner, contact, recoveryNoticeInDays=14).status_code == 200
    assert add_contact(owner, contact, recoveryNoticeInDays=None).status_code == 200
    (entry,) = info(owner.client)["contacts"]
    assert entry["recoveryNoticeInDays"] == 7
    # The owner's next mail is the revocation's: the repeated adds sent none.
    assert set_state(owner, owner=owner, contact=contact, state="REVOKED").status_code == 200
    mail(smtp_server.mailbox, to=contact.email, subject="Legacy account access removed", after=seen)
    assert invite not in subjects(smtp_server.mailbox, to=contact.email, after=seen)


def test_update_checks_who_asks_for_which_state(
    owner: Account, contact: Account, stranger: Account
) -> None:
    assert add_contact(owner, contact).status_code == 200

    def update(account: Account, state: str, **ids: object) -> tuple[int, str]:
        body = {**pair(owner, contact, state=state), **ids}
        response = account.client.post("/emergency-contacts/update", json=body)
        return response.status_code, response.json().get("message", "")

    assert update(stranger, "ACCEPTED")[0] == 403
    assert update(owner, "ACCEPTED") == (400, "Can not update state to ACCEPTED")
    assert update(contact, "REVOKED") == (400, "Can not update state to REVOKED")
    assert update(contact, "SOMETHING") == (400, "Can not update state to SOMETHING")
    # museum takes this and fails with a 500: re-inviting needs a new sealed key.
    assert update(owner, "INVITED")[0] == 400
    same = {"userID": owner.client.user_id, "emergencyContactID": owner.client.user_id}
    assert update(owner, "REVOKED", **same) == (400, "contact and user can not be same")
    assert update(owner, "REVOKED", userID=0)[0] == 400
    assert update(owner, "REVOKED", userID="x")[0] == 400
    assert info(contact.client)["othersEmergencyContact"][0]["state"] == "INVITED"


def test_contact_declines_and_is_invited_again(
    owner: Account, contact: Account, smtp_server: SmtpServer
) -> None:
    box = smtp_server.mailbox
    assert add_contact(owner, contact).status_code == 200
    seen = box.count()
    assert set_state(contact, owner=owner, contact=contact, state="CONTACT_DENIED").json() == {}
    mail(box, to=owner.email, subject="Legacy invite rejected", after=seen)
    assert info(owner.client)["contacts"] == []
    assert info(contact.client)["othersEmergencyContact"] == []
    # Accepting a declined invitation does nothing.
    assert set_state(contact, owner=owner, contact=contact, state="ACCEPTED").status_code == 200
    assert info(contact.client)["othersEmergencyContact"] == []

    seen = box.count()
    assert add_contact(owner, contact, recoveryNoticeInDays=14).status_code == 200
    mail(box, to=contact.email, subject="You have been added as a trusted contact", after=seen)
    (entry,) = info(contact.client)["othersEmergencyContact"]
    assert (entry["state"], entry["recoveryNoticeInDays"]) == ("INVITED", 14)


@pytest.mark.usefixtures("accepted")
def test_revoking_ends_a_recovery_under_way(
    owner: Account, contact: Account, smtp_server: SmtpServer
) -> None:
    box = smtp_server.mailbox
    recovery_id = start(owner, contact)
    seen = box.count()
    assert set_state(owner, owner=owner, contact=contact, state="REVOKED").status_code == 200
    mail(box, to=contact.email, subject="Ente account recovery blocked", after=seen)
    mail(box, to=contact.email, subject="Legacy account access removed", after=seen)
    assert info(contact.client) == {
        "contacts": [],
        "recoverSessions": [],
        "othersEmergencyContact": [],
        "othersRecoverySession": [],
    }
    assert contact.client.get(f"/emergency-contacts/recovery-info/{recovery_id}").status_code == 400
    again = contact.client.post("/emergency-contacts/start-recovery", json=pair(owner, contact))
    assert again.status_code == 404


@pytest.mark.usefixtures("accepted")
def test_contact_leaving_stops_its_recovery(
    owner: Account, contact: Account, smtp_server: SmtpServer
) -> None:
    box = smtp_server.mailbox
    start(owner, contact)
    seen = box.count()
    assert set_state(contact, owner=owner, contact=contact, state="CONTACT_LEFT").status_code == 200
    mail(box, to=owner.email, subject="Ente account recovery cancelled", after=seen)
    mail(box, to=owner.email, subject="Trusted contact removed", after=seen)
    assert info(owner.client)["contacts"] == [] and info(owner.client)["recoverSessions"] == []


@pytest.mark.usefixtures("accepted")
def test_notice_changes_only_without_a_recovery(
    owner: Account, contact: Account, stranger: Account, server: RunningServer
) -> None:
    def notice(account: Account, days: object, contact_id: object = None) -> tuple[int, str]:
        response = account.client.post(
            "/emergency-contacts/update-recovery-notice",
            json={
                "emergencyContactID": contact_id or contact.client.user_id,
                "recoveryNoticeInDays": days,
            },
        )
        return response.status_code, response.json().get("message", "")

    assert notice(owner, 14) == (200, "")
    assert info(contact.client)["othersEmergencyContact"][0]["recoveryNoticeInDays"] == 14
    assert notice(owner, 61) == (400, "recovery notice must be between 2 and 60 days")
    assert notice(owner, 1)[0] == 400
    assert notice(owner, "seven")[0] == 400
    assert notice(stranger, 7) == (400, "emergency contact not found or not in valid state")
    assert notice(owner, 7, contact_id=stranger.client.user_id)[0] == 400
    start(owner, contact)
    status, message = notice(owner, 7)
    assert status == 400 and "active recovery session" in message  # what mobile looks for
    assert info(owner.client)["contacts"][0]["recoveryNoticeInDays"] == 14


def test_every_route_wants_a_session(server: RunningServer) -> None:
    anonymous = EnteClient(server.url)
    for method, path in [
        ("GET", "/emergency-contacts/info"),
        ("POST", "/emergency-contacts/update"),
        ("POST", "/emergency-contacts/start-recovery"),
        ("GET", "/emergency-contacts/recovery-info/6f1c2a52-3c1e-4a5e-9f0e-0d1e2f3a4b5c"),
        ("POST", "/emergency-contacts/change-password"),
    ]:
        assert anonymous.request(method, path, json={}).status_code == 401, path
