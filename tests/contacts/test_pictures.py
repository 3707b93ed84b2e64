"""Profile pictures: stored as objects on each backend, counted in usage, removed with care."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from photo_api.clock import now_us
from photo_api.jobs import object_cleanup
from photo_api.models import StoredObject
from tests.contacts.contacts_client import (
    befriend,
    blob_combined,
    commit_picture,
    contact_key,
    create,
    fetch,
    open_blob_combined,
    upload_picture,
    usage,
)
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import md5_b64
from tests.fixtures.net import http

LIMIT = 512 * 1024


def object_row(stack: RunningServer, owner: Account, attachment_id: str) -> StoredObject:
    with stack.app.state.db.session() as session:
        row = session.scalars(
            select(StoredObject).where(StoredObject.key.endswith(f"/{attachment_id}"))
        ).one()
        session.expunge(row)
    assert row.key == f"{owner.client.user_id}/user-attachments/profile_picture/{attachment_id}"
    return row


def in_storage(stack: RunningServer, key: str) -> bool:
    return any(store.head(key) is not None for _, store in stack.app.state.stores)


def test_picture_round_trip_replace_clear_and_delete(
    owner: Account, friend: Account, stack: RunningServer
) -> None:
    client = owner.client
    befriend(owner, friend)
    assert friend.client.user_id is not None
    contact = create(owner, friend.client.user_id)
    baseline = usage(client)

    # The Rust client: encrypt, upload-url, PUT with Content-MD5, commit.
    picture = os.urandom(200_000)
    encrypted = blob_combined(picture, contact.key)
    first = upload_picture(client, encrypted)
    assert first.startswith("ua_")
    committed = commit_picture(client, contact.id, first, len(encrypted))
    assert committed.status_code == 200, committed.text
    assert committed.json()["profilePictureAttachmentID"] == first
    assert committed.json()["updatedAt"] > contact.body["updatedAt"]
    assert usage(client) == baseline + len(encrypted)
    assert object_row(stack, owner, first).backend == stack.hot
    # A retried commit answers the same.
    retried = commit_picture(client, contact.id, first, len(encrypted))
    assert retried.status_code == 200 and retried.json() == committed.json()
    assert usage(client) == baseline + len(encrypted)

    # Another device: the contact, its key, the attachment's URL, the bytes.
    got = client.get(f"/contacts/{contact.id}").json()
    key = contact_key(client, got)
    by_id = fetch(client, f"/attachments/profile_picture/{got['profilePictureAttachmentID']}")
    assert open_blob_combined(by_id, key) == picture
    assert fetch(client, f"/contacts/{contact.id}/attachments/profile_picture") == encrypted
    assert fetch(client, f"/contacts/{contact.id}/profile-picture") == encrypted
    assert fetch(client, "/contacts/ct_unused/profile-picture", attachmentID=first) == encrypted
    # Nobody else reads it, even with its id.
    stranger = friend.client.get(f"/attachments/profile_picture/{first}")
    assert stranger.status_code == 404

    # Replaced through the alias routes: the old one is retired and leaves the usage.
    smaller = blob_combined(os.urandom(1000), contact.key)
    second = upload_picture(client, smaller, alias_of=contact.id)
    replaced = client.put(
        f"/contacts/{contact.id}/profile-picture",
        json={"attachmentID": second, "size": len(smaller)},
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["profilePictureAttachmentID"] == second
    assert usage(client) == baseline + len(smaller)
    assert client.get(f"/attachments/profile_picture/{first}").status_code == 404
    old = object_row(stack, owner, first)
    assert old.state == "deleted" and old.expires_at is not None
    assert old.expires_at > now_us() + stack.settings.object_deletion_delay_us // 2
    # The first picture cannot be committed again.
    reused = commit_picture(client, contact.id, first, len(encrypted))
    assert reused.status_code == 400
    assert reused.json()["message"] == "staged attachment upload not found"

    # Cleared: the slot empties, usage is back; clearing again is harmless.
    cleared = client.delete(f"/contacts/{contact.id}/attachments/profile_picture")
    assert cleared.status_code == 200 and cleared.json()["profilePictureAttachmentID"] is None
    assert usage(client) == baseline
    assert client.delete(f"/contacts/{contact.id}/profile-picture").status_code == 200
    slot = client.get(f"/contacts/{contact.id}/attachments/profile_picture")
    assert slot.status_code == 404

    # Deleted with the contact: retired, and gone from storage after the deletion delay.
    third = upload_picture(client, smaller)
    assert commit_picture(client, contact.id, third, len(smaller)).status_code == 200
    assert usage(client) == baseline + len(smaller)
    assert client.delete(f"/contacts/{contact.id}").status_code == 200
    assert usage(client) == baseline
    assert client.get(f"/attachments/profile_picture/{third}").status_code == 404
    retired = [object_row(stack, owner, a) for a in (first, second, third)]
    assert {row.state for row in retired} == {"deleted"}
    assert all(in_storage(stack, row.key) for row in retired)
    db, stores = stack.app.state.db, stack.app.state.stores
    object_cleanup.run(db, stores)
    assert all(in_storage(stack, row.key) for row in retired)
    object_cleanup.run(db, stores, now=now_us() + stack.settings.object_deletion_delay_us + 1)
    assert not any(in_storage(stack, row.key) for row in retired)
    # A tombstone takes no picture.
    fourth = upload_picture(client, smaller)
    late = commit_picture(client, contact.id, fourth, len(smaller))
    assert late.status_code == 400 and late.json()["message"] == "contact is already deleted"
    tombstone_clear = client.delete(f"/contacts/{contact.id}/attachments/profile_picture")
    assert tombstone_clear.status_code == 400


def test_sizes_and_uploads_are_checked(
    owner: Account, friend: Account, stack: RunningServer
) -> None:
    client = owner.client
    befriend(owner, friend)
    assert friend.client.user_id is not None
    contact = create(owner, friend.client.user_id)

    too_large = client.post(
        "/attachments/profile_picture/upload-url",
        json={"contentLength": LIMIT + 1, "contentMD5": md5_b64(b"x")},
    )
    assert too_large.status_code == 400
    assert too_large.json()["message"] == f"profile_picture must be <= {LIMIT} bytes"
    at_limit = os.urandom(LIMIT)
    largest = upload_picture(client, at_limit)
    assert commit_picture(client, contact.id, largest, LIMIT).status_code == 200

    # Storage takes only the bytes the URL was signed for.
    data = os.urandom(1000)
    response = client.post(
        "/attachments/profile_picture/upload-url",
        json={"contentLength": len(data), "contentMD5": md5_b64(data)},
    )
    url, attachment_id = response.json()["url"], response.json()["attachmentID"]
    if stack.hot == "s3":
        # moto checks no signatures: that S3 would refuse other bytes shows in the URL.
        signed = parse_qs(urlsplit(url).query)["X-Amz-SignedHeaders"][0].split(";")
        assert {"content-length", "content-md5"} <= set(signed)
    else:
        longer = data + b"more"
        put = http.put(url, content=longer, headers={"Content-MD5": md5_b64(longer)})
        assert put.status_code >= 400
        put = http.put(url, content=data[::-1], headers={"Content-MD5": md5_b64(data[::-1])})
        assert put.status_code >= 400
    # Not uploaded yet: a 400, not museum's 500.
    early = commit_picture(client, contact.id, attachment_id, len(data))
    assert early.status_code == 400, early.text
    put = http.put(url, content=data, headers={"Content-MD5": md5_b64(data)})
    assert put.status_code == 200, put.text
    wrong_size = commit_picture(client, contact.id, attachment_id, len(data) + 1)
    assert wrong_size.status_code == 400, wrong_size.text
    over = commit_picture(client, contact.id, attachment_id, LIMIT + 1)
    assert over.status_code == 400
    # Another user cannot commit it to their own contact.
    befriend(friend, owner)
    assert owner.client.user_id is not None
    theirs = create(friend, owner.client.user_id)
    foreign = commit_picture(friend.client, theirs.id, attachment_id, len(data))
    assert foreign.status_code == 400
    assert commit_picture(client, contact.id, attachment_id, len(data)).status_code == 200


def test_bad_attachment_requests_are_4xx(
    owner: Account, friend: Account, stack: RunningServer
) -> None:
    client = owner.client
    befriend(owner, friend)
    assert friend.client.user_id is not None
    contact = create(owner, friend.client.user_id)
    md5 = md5_b64(b"x")
    cases = [
        ("POST", "/attachments/avatar/upload-url", {"contentLength": 1, "contentMD5": md5}),
        (
            "POST",
            "/attachments/profile_picture/upload-url",
            {"contentLength": 0, "contentMD5": md5},
        ),
        (
            "POST",
            "/attachments/profile_picture/upload-url",
            {"contentLength": 1, "contentMD5": "x"},
        ),
        ("POST", "/attachments/profile_picture/upload-url", {"contentLength": 1}),
        ("GET", "/attachments/profile_picture/not-an-id", None),
        ("GET", "/attachments/avatar/ua_x", None),
        ("PUT", f"/contacts/{contact.id}/attachments/avatar", {"attachmentID": "ua_x", "size": 1}),
        ("PUT", f"/contacts/{contact.id}/profile-picture", {"attachmentID": "../x", "size": 1}),
        ("PUT", f"/contacts/{contact.id}/profile-picture", {"attachmentID": "ua_x", "size": 0}),
        ("PUT", "/contacts/nope/profile-picture", {"attachmentID": "ua_x", "size": 1}),
        ("PUT", f"/contacts/{contact.id}/profile-picture", {"size": 1}),
        ("DELETE", f"/contacts/{contact.id}/attachments/avatar", None),
        ("GET", "/contacts/nope/attachments/profile_picture", None),
    ]
    for method, path, body in cases:
        response = client.request(method, path, json=body)
        assert response.status_code == 400, (method, path, response.text)
        assert response.json()["code"] == "BAD_REQUEST"
    assert client.get("/attachments/avatar/ua_x").json()["message"] == (
        "invalid attachment type: avatar"
    )
    missing = client.get("/attachments/profile_picture/ua_" + "A" * 22)
    assert missing.status_code == 404
    unknown_contact = client.get(f"/contacts/ct_{'A' * 22}/profile-picture")
    assert unknown_contact.status_code == 404
