"""Contacts as the Rust client (web and mobile) uses them: create, read, diff, update, delete."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import update

from photo_api.models import Contact
from tests.client import crypto
from tests.contacts.contacts_client import (
    befriend,
    blob_combined,
    commit_picture,
    contact_key,
    create,
    decrypt_name,
    diff,
    encrypted_data,
    sync,
    upload_picture,
    usage,
)
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient, signup, srp_login
from tests.fixtures.smtp import SmtpServer
from tests.legacy.flow import add_contact


def user_id(account: Account) -> int:
    assert account.client.user_id is not None
    return account.client.user_id


def test_contact_lifecycle(alice: Account, bob: Account) -> None:
    client = alice.client
    befriend(alice, bob)
    made = create(alice, user_id(bob), name="Bobby")
    body = made.body
    assert made.id.startswith("ct_") and len(made.id) == 25
    assert body["userID"] == user_id(alice) and body["contactUserID"] == user_id(bob)
    assert body["email"] == bob.email
    assert body["profilePictureAttachmentID"] is None and body["isDeleted"] is False
    assert body["createdAt"] == body["updatedAt"]

    # Another device: the diff, then the key unwrapped from the contact itself.
    [synced] = sync(client)
    assert synced == body
    got = client.get(f"/contacts/{made.id}")
    assert got.status_code == 200 and got.json() == body
    assert decrypt_name(got.json(), contact_key(client, got.json())) == "Bobby"

    # Update (the key never changes); unchanged data is not a change.
    new_data = encrypted_data(made.key, user_id(bob), "Robert")
    updated = client.put(
        f"/contacts/{made.id}", json={"contactUserID": user_id(bob), "encryptedData": new_data}
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["encryptedKey"] == body["encryptedKey"]
    assert updated.json()["updatedAt"] > body["updatedAt"]
    assert decrypt_name(updated.json(), made.key) == "Robert"
    again = client.put(
        f"/contacts/{made.id}", json={"contactUserID": user_id(bob), "encryptedData": new_data}
    )
    assert again.json() == updated.json()
    assert diff(client, since=body["updatedAt"]) == [updated.json()]

    # Delete: 200 with an empty body, a tombstone in the diff; deleting again is a no-op.
    deleted = client.delete(f"/contacts/{made.id}")
    assert deleted.status_code == 200 and deleted.content == b""
    [tombstone] = diff(client, since=updated.json()["updatedAt"])
    assert tombstone["isDeleted"] is True
    assert tombstone["id"] == made.id and tombstone["contactUserID"] == user_id(bob)
    for hidden in ("email", "encryptedKey", "encryptedData", "profilePictureAttachmentID"):
        assert tombstone[hidden] is None
    assert client.get(f"/contacts/{made.id}").json() == tombstone
    assert client.delete(f"/contacts/{made.id}").status_code == 200
    assert diff(client, since=tombstone["updatedAt"]) == []

    # One row per contact user ever: not created again, but revived, with its old key.
    recreate = client.post(
        "/contacts",
        json={
            "contactUserID": user_id(bob),
            "encryptedKey": body["encryptedKey"],
            "encryptedData": new_data,
        },
    )
    assert recreate.status_code == 400
    assert recreate.json()["message"] == "contact already exists for contactUserID"
    revived = client.put(
        f"/contacts/{made.id}", json={"contactUserID": user_id(bob), "encryptedData": new_data}
    )
    assert revived.status_code == 200, revived.text
    assert revived.json()["isDeleted"] is False
    assert revived.json()["encryptedKey"] == body["encryptedKey"]
    assert revived.json()["email"] == bob.email
    assert [row["id"] for row in sync(client)] == [made.id]


def test_who_may_be_a_contact(
    alice: Account, bob: Account, server: RunningServer, smtp_server: SmtpServer
) -> None:
    stranger = signup(server.url, smtp_server.mailbox)
    key = crypto.new_key()

    def attempt(contact_user_id: int) -> dict:
        response = alice.client.post(
            "/contacts",
            json={
                "contactUserID": contact_user_id,
                "encryptedKey": crypto.b64(b"k" * 72),
                "encryptedData": encrypted_data(key, contact_user_id, "x"),
            },
        )
        assert response.status_code == 400, response.text
        return dict(response.json())

    assert attempt(user_id(stranger))["message"] == (
        "contactUserID is not eligible to be added as a contact"
    )
    assert attempt(2**62)["message"] == "contactUserID does not exist"
    assert attempt(0)["message"] == "contactUserID must be greater than 0"
    assert attempt(-5)["message"] == "contactUserID must be greater than 0"

    # A sharee of one's album, and the owner of an album shared with one, both qualify.
    befriend(bob, alice)
    create(alice, user_id(bob))
    create(bob, user_id(alice))
    # So does a trusted contact (Legacy), invited or accepted.
    trusted = signup(server.url, smtp_server.mailbox)
    assert add_contact(alice, trusted).status_code == 200
    create(alice, user_id(trusted))
    # Moving a contact to someone unrelated is refused too.
    made = create(alice, user_id(alice), name="me")
    moved = alice.client.put(
        f"/contacts/{made.id}",
        json={
            "contactUserID": user_id(stranger),
            "encryptedData": encrypted_data(made.key, user_id(stranger), "x"),
        },
    )
    assert moved.status_code == 400
    assert moved.json()["message"] == "contactUserID is not eligible to be added as a contact"


def test_update_checks(alice: Account, bob: Account, server: RunningServer) -> None:
    befriend(alice, bob)
    to_bob = create(alice, user_id(bob))
    to_self = create(alice, user_id(alice), name="me")
    client = alice.client
    data = encrypted_data(to_bob.key, user_id(alice), "x")
    taken = client.put(
        f"/contacts/{to_bob.id}", json={"contactUserID": user_id(alice), "encryptedData": data}
    )
    assert taken.status_code == 400
    assert taken.json()["message"] == "contact already exists for contactUserID"
    assert client.get(f"/contacts/{to_self.id}").json()["contactUserID"] == user_id(alice)

    unknown = client.put(
        "/contacts/ct_" + "A" * 22, json={"contactUserID": user_id(bob), "encryptedData": data}
    )
    assert unknown.status_code == 404 and unknown.json()["code"] == "NOT_FOUND"
    # Another user's contact is not found either.
    bobs_view = bob.client.get(f"/contacts/{to_bob.id}")
    assert bobs_view.status_code == 404
    assert bob.client.delete(f"/contacts/{to_bob.id}").status_code == 404


def test_diff_pages_never_split_equal_times(
    alice: Account, server: RunningServer, smtp_server: SmtpServer
) -> None:
    others = [signup(server.url, smtp_server.mailbox) for _ in range(3)]
    for other in others:
        befriend(alice, other)
    made = [create(alice, user_id(alice), name="me")]
    made += [create(alice, user_id(other)) for other in others]
    client = alice.client
    # Paged one by one, each contact once, in order.
    assert [row["id"] for row in sync(client, limit=1)] == [c.id for c in made]

    # Rows sharing a time (as an import could leave them): a page never ends inside them.
    shared = made[1].body["updatedAt"]
    with server.app.state.db.session() as session:
        grouped = Contact.id.in_([c.id for c in made[1:3]])
        session.execute(update(Contact).where(grouped).values(updated_at=shared))
        session.commit()
    first = diff(client, since=0, limit=2)
    assert [row["id"] for row in first] == [made[0].id]
    whole_group = diff(client, since=made[0].body["updatedAt"], limit=1)
    assert {row["id"] for row in whole_group} == {made[1].id, made[2].id}
    assert len(sync(client, limit=1)) == 4


def test_email_changes_reach_owners(alice: Account, bob: Account, smtp_server: SmtpServer) -> None:
    befriend(alice, bob)
    made = create(alice, user_id(bob))
    new_email = "renamed-" + bob.email
    seen = smtp_server.mailbox.count()
    sent = bob.client.post("/users/ott", json={"email": new_email, "purpose": "change"})
    assert sent.status_code == 200, sent.text
    code = smtp_server.mailbox.code_for(new_email, after=seen)
    changed = bob.client.post("/users/change-email", json={"email": new_email, "ott": code})
    assert changed.status_code == 200, changed.text
    [row] = diff(alice.client, since=made.body["updatedAt"])
    assert row["email"] == new_email


def test_bad_input_is_a_4xx(alice: Account, bob: Account, server: RunningServer) -> None:
    befriend(alice, bob)
    client = alice.client
    good = {
        "contactUserID": user_id(bob),
        "encryptedKey": crypto.b64(b"k" * 72),
        "encryptedData": crypto.b64(b"d" * 40),
    }
    for broken in (
        {**good, "encryptedKey": "not base64!"},
        {**good, "encryptedData": ""},
        {**good, "encryptedData": crypto.b64(b"d" * 60_000)},
        {**good, "contactUserID": "abc"},
        {k: v for k, v in good.items() if k != "encryptedKey"},
    ):
        response = client.post("/contacts", json=broken)
        assert response.status_code == 400, (broken, response.text)
        assert response.json()["code"] == "BAD_REQUEST"
    for params in (
        {"sinceTime": 0},
        {"limit": 10},
        {"sinceTime": 0, "limit": 0},
        {"sinceTime": 0, "limit": 5001},
        {"sinceTime": "x", "limit": 10},
    ):
        response = client.get("/contacts/diff", params=params)
        assert response.status_code == 400, (params, response.text)
    assert client.get("/contacts/diff", params={"sinceTime": 0, "limit": 5000}).status_code == 200
    for path in ("/contacts/nope", "/contacts/ct_../x", "/contacts/ct_" + "a" * 40):
        response = client.get(path)
        assert response.status_code in (400, 404), (path, response.text)
    response = client.get("/contacts/bad-id")
    assert response.status_code == 400 and response.json()["message"] == "invalid contact id"
    assert client.delete("/contacts/bad-id").status_code == 400


def test_the_auth_app_is_refused(alice: Account, server: RunningServer) -> None:
    auth_app, login = srp_login(server.url, alice.email, alice.password, package="io.ente.auth")
    auth_app.adopt(login.json(), password=alice.password)
    for method, path in (
        ("GET", "/contacts/diff?sinceTime=0&limit=10"),
        ("POST", "/contacts"),
        ("GET", "/attachments/profile_picture/ua_test"),
        ("POST", "/attachments/profile_picture/upload-url"),
    ):
        response = auth_app.request(method, path, json={})
        assert response.status_code == 403, (path, response.text)
        assert response.json() == {"error": "invalid app for endpoint"}


def test_concurrent_commits_of_one_upload_count_once(
    alice: Account, bob: Account, server: RunningServer
) -> None:
    befriend(alice, bob)
    contacts = [create(alice, user_id(bob)), create(alice, user_id(alice), name="me")]
    picture = blob_combined(os.urandom(3000), contacts[0].key)
    attachment = upload_picture(alice.client, picture)
    before = usage(alice.client)
    devices = [EnteClient(server.url, token=alice.client.token) for _ in contacts]
    with ThreadPoolExecutor(len(devices)) as pool:
        results = list(
            pool.map(
                lambda pair: commit_picture(pair[0], pair[1].id, attachment, len(picture)),
                zip(devices, contacts, strict=True),
            )
        )
    assert sorted(r.status_code for r in results) == [200, 400], [r.text for r in results]
    assert usage(alice.client) == before + len(picture)
    holders = [
        c.id
        for c in contacts
        if alice.client.get(f"/contacts/{c.id}").json()["profilePictureAttachmentID"]
    ]
    assert len(holders) == 1
