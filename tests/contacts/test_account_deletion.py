"""Deleting an account removes its contacts and schedules its pictures' objects."""

from __future__ import annotations

import os

from sqlalchemy import select

from photo_api.models import Contact, StoredObject
from tests.contacts.contacts_client import (
    befriend,
    blob_combined,
    commit_picture,
    create,
    diff,
    upload_picture,
)
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.sharing.test_account_deletion import delete_account


def test_deleted_account_takes_its_contacts_and_pictures(
    alice: Account, bob: Account, server: RunningServer
) -> None:
    assert alice.client.user_id is not None and bob.client.user_id is not None
    befriend(alice, bob)
    hers = create(alice, bob.client.user_id)
    picture = blob_combined(os.urandom(5000), hers.key)
    attachment = upload_picture(alice.client, picture)
    assert commit_picture(alice.client, hers.id, attachment, len(picture)).status_code == 200
    his = create(bob, alice.client.user_id, name="Alice")

    delete_account(alice)
    with server.app.state.db.session() as session:
        assert (
            session.scalars(select(Contact).where(Contact.user_id == alice.client.user_id)).all()
            == []
        )
        obj = session.scalars(
            select(StoredObject).where(StoredObject.key.endswith(f"/{attachment}"))
        ).one()
        assert obj.state == "deleted" and obj.expires_at is not None
    # Bob's contact about Alice stays, without her email, and his devices are told.
    [row] = diff(bob.client, since=his.body["updatedAt"])
    assert row["id"] == his.id and row["isDeleted"] is False and row["email"] is None
