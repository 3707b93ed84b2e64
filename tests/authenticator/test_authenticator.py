"""Ente Auth as its apps and the CLI use it: one key, codes created, synced, edited, deleted."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import select, update

from photo_api.clock import now_us
from photo_api.models import AuthenticatorEntity, AuthenticatorKey
from tests.authenticator.conftest import AUTH_PACKAGE
from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient
from tests.fixtures.library import master_key
from tests.fixtures.smtp import SmtpServer
from tests.sharing.test_account_deletion import delete_account

ENTITY_FIELDS = ["id", "userID", "encryptedData", "header", "isDeleted", "createdAt", "updatedAt"]


def make_key(client: EnteClient) -> bytes:
    """The app's first sync: GET the key, 404, create one under the master key."""
    missing = client.get("/authenticator/key")
    assert missing.status_code == 404, missing.text
    assert missing.json()["code"] == "NOT_FOUND"
    key = crypto.new_key()
    boxed = crypto.secretbox_encrypt(key, master_key(client))
    created = client.post(
        "/authenticator/key", json={"encryptedKey": boxed.encrypted_data, "header": boxed.nonce}
    )
    assert created.status_code == 200 and created.content == b"", created.text
    return key


def read_key(client: EnteClient) -> bytes:
    """The CLI's export: the key, used only if it is the logged-in user's."""
    response = client.get("/authenticator/key")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"userID", "encryptedKey", "header", "createdAt"}
    assert body["userID"] == client.user_id
    return crypto.secretbox_decrypt(body["encryptedKey"], body["header"], master_key(client))


def code(uri: str, key: bytes) -> dict[str, str]:
    """An entity's body: the otpauth URI, JSON-encoded, as one secretstream blob."""
    blob = crypto.encrypt_blob(json.dumps(uri).encode(), key)
    return {"encryptedData": blob["encryptedData"], "header": blob["decryptionHeader"]}


def uri_of(entity: dict[str, Any], key: bytes) -> str:
    return str(json.loads(crypto.decrypt_blob(entity["encryptedData"], entity["header"], key)))


def diff(client: EnteClient, since: int = 0, limit: int = 500) -> list[dict[str, Any]]:
    before = now_us()
    response = client.get("/authenticator/entity/diff", params={"sinceTime": since, "limit": limit})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"diff", "timestamp"}
    # The server's clock, which the apps use to correct codes on devices with a wrong one.
    assert before <= body["timestamp"] <= now_us()
    return list(body["diff"])


def export(client: EnteClient, limit: int = 500) -> list[str]:
    """The CLI's loop: pages while full, from the greatest updatedAt; live codes, decrypted."""
    rows: list[dict[str, Any]] = []
    since = 0
    while True:
        page = diff(client, since, limit)
        rows.extend(page)
        if len(page) < limit:
            break
        since = max(row["updatedAt"] for row in page)
    key = read_key(client)
    return [uri_of(row, key) for row in rows if not row["isDeleted"]]


def test_key_is_set_once(auth_app: EnteClient, alice: Account) -> None:
    make_key(auth_app)
    read_key(auth_app)
    boxed = crypto.secretbox_encrypt(crypto.new_key(), master_key(auth_app))
    again = auth_app.post(
        "/authenticator/key", json={"encryptedKey": boxed.encrypted_data, "header": boxed.nonce}
    )
    assert again.status_code == 409
    assert again.json() == {"code": "CONFLICT", "message": "Key already exists"}
    # The photos app reaches the same key (museum opens these routes to every app).
    assert (
        alice.client.get("/authenticator/key").json() == auth_app.get("/authenticator/key").json()
    )


def test_key_needs_key_attributes(server: RunningServer, smtp_server: SmtpServer) -> None:
    client = EnteClient(server.url, package="io.ente.auth")
    email = f"auth-{uuid.uuid4().hex[:12]}@example.org"
    seen = smtp_server.mailbox.count()
    assert client.post("/users/ott", json={"email": email, "purpose": "signup"}).status_code == 200
    verified = client.post(
        "/users/verify-email",
        json={"email": email, "ott": smtp_server.mailbox.code_for(email, after=seen)},
    )
    client.adopt(verified.json())
    premature = client.post("/authenticator/key", json={"encryptedKey": "AAAA", "header": "AAAA"})
    assert premature.status_code == 404


def test_codes_created_synced_edited_deleted(auth_app: EnteClient, alice: Account) -> None:
    before_key = auth_app.post("/authenticator/entity", json=code("otpauth://x", b"k" * 32))
    assert before_key.status_code == 400
    assert before_key.json() == {
        "code": "AUTH_KEY_NOT_CREATED",
        "message": "AuthKey is not created",
    }
    assert diff(auth_app) == []

    key = make_key(auth_app)
    uris = [f"otpauth://totp/Service{n}:alice?secret=JBSWY3DPEHPK3PX{n}" for n in range(5)]
    created = []
    for uri in uris:
        response = auth_app.post("/authenticator/entity", json=code(uri, key))
        assert response.status_code == 200, response.text
        assert list(response.json()) == ENTITY_FIELDS
        created.append(response.json())
    assert all(str(uuid.UUID(row["id"])) == row["id"] for row in created)
    assert [row["updatedAt"] for row in created] == sorted({row["updatedAt"] for row in created})
    assert export(auth_app, limit=2) == uris
    assert diff(auth_app) == created

    # Edit: 200 with an empty body; only the edited code is sent again.
    first, second = created[0], created[1]
    edited_uri = uris[0] + "&issuer=Edited"
    edit = auth_app.put("/authenticator/entity", json={"id": first["id"], **code(edited_uri, key)})
    assert edit.status_code == 200 and edit.content == b"", edit.text
    [changed] = diff(auth_app, since=created[-1]["updatedAt"])
    assert changed["id"] == first["id"] and uri_of(changed, key) == edited_uri
    assert changed["createdAt"] == first["createdAt"] < changed["updatedAt"]
    # The same data again is no change; ids are read in any form a UUID takes.
    same = {
        "id": "{" + first["id"].upper() + "}",
        "encryptedData": changed["encryptedData"],
        "header": changed["header"],
    }
    assert auth_app.put("/authenticator/entity", json=same).status_code == 200
    assert diff(auth_app, since=changed["updatedAt"]) == []

    # Delete: a tombstone in the diff; deleting again, or an unknown id, is a quiet 200.
    gone = auth_app.delete("/authenticator/entity", params={"id": second["id"]})
    assert gone.status_code == 200 and gone.content == b""
    [tombstone] = diff(auth_app, since=changed["updatedAt"])
    assert tombstone["id"] == second["id"] and tombstone["isDeleted"] is True
    assert tombstone["encryptedData"] is None and tombstone["header"] is None
    assert auth_app.delete("/authenticator/entity", params={"id": second["id"]}).status_code == 200
    assert (
        auth_app.delete("/authenticator/entity", params={"id": str(uuid.uuid4())}).status_code
        == 200
    )
    assert diff(auth_app, since=tombstone["updatedAt"]) == []
    revive = auth_app.put("/authenticator/entity", json={"id": second["id"], **code(uris[1], key)})
    assert revive.status_code == 400
    assert revive.json()["message"] == "entity is already deleted"
    unknown = auth_app.put(
        "/authenticator/entity", json={"id": str(uuid.uuid4()), **code("x", key)}
    )
    assert unknown.status_code == 404 and unknown.json()["code"] == "NOT_FOUND"

    assert export(auth_app) == [uris[2], uris[3], uris[4], edited_uri]
    # The photos app's session sees the same codes, and counts them before a deletion.
    assert diff(alice.client) == diff(auth_app)
    summary = alice.client.get("/users/deletion-summary").json()
    assert summary["authenticatorCodesCount"] == 4


def test_codes_are_the_owners_alone(auth_app: EnteClient, alice: Account, bob: Account) -> None:
    key = make_key(auth_app)
    mine = auth_app.post("/authenticator/entity", json=code("otpauth://mine", key)).json()
    make_key(bob.client)
    assert diff(bob.client) == []
    other_key = read_key(bob.client)
    stolen = bob.client.put(
        "/authenticator/entity", json={"id": mine["id"], **code("x", other_key)}
    )
    assert stolen.status_code == 404
    assert bob.client.delete("/authenticator/entity", params={"id": mine["id"]}).status_code == 200
    assert diff(auth_app) == [mine]


def test_auth_app_is_kept_apart_from_the_photo_library(
    auth_app: EnteClient, alice: Account, server: RunningServer
) -> None:
    key = make_key(auth_app)
    auth_app.post("/authenticator/entity", json=code("otpauth://kept-apart", key))
    # The Auth app's token is refused on library routes, user entities included ...
    for method, path in (
        ("GET", "/user-entity/key?type=location"),
        ("GET", "/user-entity/entity/diff?type=location&sinceTime=0&limit=10"),
        ("GET", "/contacts/diff?sinceTime=0&limit=10"),
        ("GET", "/files/upload-urls"),
        ("GET", "/collections/v2?sinceTime=0"),
    ):
        response = auth_app.request(method, path)
        assert response.status_code == 403, (path, response.text)
        assert response.json() == {"error": "invalid app for endpoint"}
    # ... and is no photos token.
    posing = EnteClient(server.url, token=auth_app.token)
    assert posing.get("/authenticator/key").status_code == 401
    # The photos app's user entities know nothing of the codes.
    for type_ in ("location", "person", "cgroup", "smart_album", "memory", "contact"):
        response = alice.client.get(
            "/user-entity/entity/diff", params={"type": type_, "sinceTime": 0, "limit": 500}
        )
        assert response.status_code == 200 and response.json() == {"diff": []}
        assert alice.client.get("/user-entity/key", params={"type": type_}).status_code == 404
    # Account routes the Auth app needs stay open to it.
    assert auth_app.get("/users/details/v2").status_code == 200


def test_diff_pages_never_split_equal_times(auth_app: EnteClient, server: RunningServer) -> None:
    key = make_key(auth_app)
    rows = [
        auth_app.post("/authenticator/entity", json=code(f"otpauth://{n}", key)).json()
        for n in range(4)
    ]
    shared = rows[1]["updatedAt"]
    with server.app.state.db.session() as session:
        grouped = AuthenticatorEntity.id.in_([rows[1]["id"], rows[2]["id"]])
        session.execute(update(AuthenticatorEntity).where(grouped).values(updated_at=shared))
        session.commit()
    assert [row["id"] for row in diff(auth_app, limit=2)] == [rows[0]["id"]]
    group = diff(auth_app, since=rows[0]["updatedAt"], limit=1)
    assert {row["id"] for row in group} == {rows[1]["id"], rows[2]["id"]}
    assert len(export(auth_app, limit=1)) == 4


def test_bad_input_is_a_4xx(auth_app: EnteClient) -> None:
    key = make_key(auth_app)
    good = code("otpauth://x", key)
    for body in (
        {},
        {**good, "encryptedData": ""},
        {**good, "header": "not base64!"},
        {"encryptedData": good["encryptedData"]},
    ):
        response = auth_app.post("/authenticator/entity", json=body)
        assert response.status_code == 400, (body, response.text)
    for body in (
        {**good, "id": "not-a-uuid"},
        {**good, "id": str(uuid.UUID(int=0))},
        {**good, "id": ""},
        good,
    ):
        response = auth_app.put("/authenticator/entity", json=body)
        assert response.status_code == 400, (body, response.text)
    for params in ({}, {"id": "x"}, {"id": str(uuid.UUID(int=0))}):
        assert auth_app.delete("/authenticator/entity", params=params).status_code == 400
    for params in (
        {"sinceTime": 0},
        {"limit": 10},
        {"sinceTime": 0, "limit": 0},
        {"sinceTime": 0, "limit": 5001},
        {"sinceTime": 0, "limit": 2**40},
        {"sinceTime": "yesterday", "limit": 10},
    ):
        response = auth_app.get("/authenticator/entity/diff", params=params)
        assert response.status_code == 400, (params, response.text)
    assert auth_app.post("/authenticator/key", json={"encryptedKey": "AAAA"}).status_code == 400


def test_account_deletion_removes_the_codes(
    auth_app: EnteClient, alice: Account, server: RunningServer
) -> None:
    key = make_key(auth_app)
    auth_app.post("/authenticator/entity", json=code("otpauth://x", key))
    delete_account(alice)
    assert auth_app.get("/authenticator/key").status_code == 401
    with server.app.state.db.session() as session:
        for model in (AuthenticatorKey, AuthenticatorEntity):
            assert (
                session.scalars(select(model).where(model.user_id == alice.client.user_id)).all()
                == []
            )


def test_one_key_under_concurrent_creates(auth_app: EnteClient, server: RunningServer) -> None:
    devices = [EnteClient(server.url, package=AUTH_PACKAGE, token=auth_app.token) for _ in range(4)]

    def create(device: EnteClient) -> int:
        boxed = crypto.secretbox_encrypt(crypto.new_key(), master_key(auth_app))
        body = {"encryptedKey": boxed.encrypted_data, "header": boxed.nonce}
        return device.post("/authenticator/key", json=body).status_code

    with ThreadPoolExecutor(len(devices)) as pool:
        assert sorted(pool.map(create, devices)) == [200, 409, 409, 409]
    read_key(auth_app)
