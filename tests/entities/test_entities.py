"""User entities as the web and mobile clients use them: keys, entities, tombstones, diffs."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.client import crypto
from tests.fixtures.ente import Account, EnteClient
from tests.fixtures.library import master_key

KEY_FIELDS = {"userID", "type", "encryptedKey", "header", "createdAt"}
ENTITY_FIELDS = {
    "id",
    "userID",
    "type",
    "encryptedData",
    "header",
    "isDeleted",
    "createdAt",
    "updatedAt",
}


def make_key(account: Account, type_: str = "location") -> bytes:
    """GET the key (404: none yet), then POST one wrapped with the master key, as the web does."""
    client = account.client
    missing = client.get("/user-entity/key", params={"type": type_})
    assert missing.status_code == 404, missing.text
    assert missing.json()["code"] == "NOT_FOUND"
    key = crypto.new_key()
    boxed = crypto.secretbox_encrypt(key, master_key(client))
    body = {"type": type_, "encryptedKey": boxed.encrypted_data, "header": boxed.nonce}
    response = client.post("/user-entity/key", json=body)
    assert response.status_code == 200, response.text
    assert response.content == b""
    return key


def entity_body(key: bytes, data: dict[str, Any], type_: str = "location") -> dict[str, Any]:
    blob = crypto.encrypt_blob(json.dumps(data).encode(), key)
    return {
        "type": type_,
        "encryptedData": blob["encryptedData"],
        "header": blob["decryptionHeader"],
    }


def diff(client: EnteClient, type_: str = "location", since: int = 0, limit: int = 500) -> list:
    response = client.get(
        "/user-entity/entity/diff", params={"type": type_, "sinceTime": since, "limit": limit}
    )
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"diff"}
    return list(response.json()["diff"])


def test_entity_key_create_get_replay_conflict(alice: Account) -> None:
    client = alice.client
    key = make_key(alice)
    got = client.get("/user-entity/key", params={"type": "location"})
    assert got.status_code == 200
    body = got.json()
    assert set(body) == KEY_FIELDS
    assert body["userID"] == client.user_id and body["type"] == "location"
    assert crypto.secretbox_decrypt(body["encryptedKey"], body["header"], master_key(client)) == key
    assert isinstance(body["createdAt"], int) and body["createdAt"] > 1_600_000_000_000_000

    # The same key again is a replay; another key for the type is refused.
    same = {"type": "location", "encryptedKey": body["encryptedKey"], "header": body["header"]}
    assert client.post("/user-entity/key", json=same).status_code == 200
    other = crypto.secretbox_encrypt(crypto.new_key(), master_key(client))
    conflict = client.post(
        "/user-entity/key",
        json={"type": "location", "encryptedKey": other.encrypted_data, "header": other.nonce},
    )
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "ALREADY_EXISTS"
    assert client.get("/user-entity/key", params={"type": "location"}).json() == body
    # Keys are per type.
    assert client.get("/user-entity/key", params={"type": "cgroup"}).status_code == 404


def test_key_requests_are_validated(alice: Account) -> None:
    client = alice.client
    boxed = crypto.secretbox_encrypt(crypto.new_key(), master_key(client))
    good = {"type": "cgroup", "encryptedKey": boxed.encrypted_data, "header": boxed.nonce}
    for bad in (
        {**good, "type": "album"},
        {**good, "encryptedKey": ""},
        {**good, "header": "not base64!"},
        {k: v for k, v in good.items() if k != "type"},
        [good],
    ):
        response = client.post("/user-entity/key", json=bad)
        assert response.status_code == 400, (bad, response.text)
        assert response.json()["code"] == "BAD_REQUEST"
    for raw in (b"", b"{", b"null", b'"x"'):
        response = client.post("/user-entity/key", content=raw)
        assert response.status_code == 400, raw
        assert response.json()["code"] == "BAD_REQUEST"
    for params in ({"type": "unknown"}, {}):
        response = client.get("/user-entity/key", params=params)
        assert response.status_code == 400 and response.json()["code"] == "BAD_REQUEST"
    # The web sends JSON without a Content-Type header (browsers label it text/plain).
    plain = client.post(
        "/user-entity/key", content=json.dumps(good), headers={"Content-Type": "text/plain"}
    )
    assert plain.status_code == 200, plain.text


def test_entity_lifecycle_and_diff(alice: Account) -> None:
    client = alice.client
    # Entities need their type's key first.
    no_key = client.post("/user-entity/entity", json=entity_body(crypto.new_key(), {"a": 1}))
    assert no_key.status_code == 404 and no_key.json()["code"] == "NOT_FOUND"
    key = make_key(alice)

    home = client.post("/user-entity/entity", json=entity_body(key, {"name": "Home"}))
    assert home.status_code == 200, home.text
    created = home.json()
    assert set(created) == ENTITY_FIELDS
    assert re.fullmatch(r"location_[0-9A-Za-z]{22}", created["id"])
    assert created["userID"] == client.user_id and created["type"] == "location"
    assert created["isDeleted"] is False
    assert created["createdAt"] == created["updatedAt"]
    work = client.post("/user-entity/entity", json=entity_body(key, {"name": "Work"})).json()
    assert work["id"] != created["id"]

    rows = diff(client)
    assert [r["id"] for r in rows] == [created["id"], work["id"]]
    assert rows[0] == created
    assert json.loads(crypto.decrypt_blob(rows[0]["encryptedData"], rows[0]["header"], key)) == {
        "name": "Home"
    }

    updated = client.put(
        "/user-entity/entity", json={"id": created["id"], **entity_body(key, {"name": "Casa"})}
    )
    assert updated.status_code == 200, updated.text
    after_update = updated.json()
    assert after_update["updatedAt"] > created["updatedAt"]
    assert after_update["createdAt"] == created["createdAt"]
    # Ascending by updatedAt: the update moved Home after Work.
    assert [r["id"] for r in diff(client)] == [work["id"], created["id"]]
    assert diff(client, since=work["updatedAt"]) == [after_update]

    deleted = client.delete("/user-entity/entity", params={"id": created["id"]})
    assert deleted.status_code == 200 and deleted.content == b""
    (tombstone,) = diff(client, since=after_update["updatedAt"])
    assert tombstone["id"] == created["id"]
    assert tombstone["encryptedData"] is None and tombstone["header"] is None
    assert tombstone["isDeleted"] is True
    assert tombstone["updatedAt"] > after_update["updatedAt"]

    # A deleted entity cannot be updated; deleting again changes nothing.
    stale = client.put(
        "/user-entity/entity", json={"id": created["id"], **entity_body(key, {"name": "x"})}
    )
    assert stale.status_code == 400 and stale.json()["code"] == "BAD_REQUEST"
    assert client.delete("/user-entity/entity", params={"id": created["id"]}).status_code == 200
    assert diff(client, since=tombstone["updatedAt"]) == []
    # Other types are separate.
    assert diff(client, type_="cgroup") == []


def test_update_rules(alice: Account) -> None:
    client = alice.client
    key = make_key(alice)
    made = client.post("/user-entity/entity", json=entity_body(key, {"n": 1})).json()
    body = {"id": made["id"], **entity_body(key, {"n": 2})}
    first = client.put("/user-entity/entity", json=body).json()
    # The same update again (a retry) answers the entity without moving it.
    assert client.put("/user-entity/entity", json=body).json() == first
    make_key(alice, "cgroup")
    wrong_type = client.put("/user-entity/entity", json={**body, "type": "cgroup"})
    assert wrong_type.status_code == 400
    unknown = client.put("/user-entity/entity", json={**body, "id": "location_nope"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "NOT_FOUND"


def test_diff_parameters_and_paging(alice: Account) -> None:
    client = alice.client
    key = make_key(alice)
    made = [
        client.post("/user-entity/entity", json=entity_body(key, {"n": n})).json()["id"]
        for n in range(5)
    ]
    # limit=1 pages through everything, as a client looping until an empty page.
    seen, since = [], 0
    while page := diff(client, since=since, limit=1):
        assert len(page) == 1
        seen.append(page[0]["id"])
        since = page[0]["updatedAt"]
    assert seen == made
    assert len(diff(client, limit=5000)) == 5
    base = {"type": "location", "sinceTime": 0, "limit": 10}
    for params in (
        {**base, "limit": 0},
        {**base, "limit": 5001},
        {**base, "limit": "many"},
        {**base, "type": "album"},
        {**base, "sinceTime": 2**64},
        {k: v for k, v in base.items() if k != "limit"},
        {k: v for k, v in base.items() if k != "sinceTime"},
        {k: v for k, v in base.items() if k != "type"},
    ):
        response = client.get("/user-entity/entity/diff", params=params)
        assert response.status_code == 400, (params, response.text)
        assert response.json()["code"] == "BAD_REQUEST"


def test_smart_album_ids_and_restore(alice: Account) -> None:
    client = alice.client
    key = make_key(alice, "smart_album")
    body = entity_body(key, {"collectionID": 7}, type_="smart_album")
    missing = client.post("/user-entity/entity", json=body)
    assert missing.status_code == 400
    foreign = client.post("/user-entity/entity", json={**body, "id": "sa_1_7"})
    assert foreign.status_code == 400
    own_id = f"sa_{client.user_id}_7"
    made = client.post("/user-entity/entity", json={**body, "id": own_id})
    assert made.status_code == 200, made.text
    assert made.json()["id"] == own_id and made.json()["type"] == "smart_album"
    again = client.post("/user-entity/entity", json={**body, "id": own_id})
    assert again.status_code == 409 and again.json()["code"] == "ALREADY_EXISTS"
    # Deleted smart albums come back under the same id (one per collection).
    assert client.delete("/user-entity/entity", params={"id": own_id}).status_code == 200
    restored = client.post(
        "/user-entity/entity",
        json={**entity_body(key, {"collectionID": 7, "v": 2}, "smart_album"), "id": own_id},
    )
    assert restored.status_code == 200, restored.text
    assert restored.json()["isDeleted"] is False
    assert restored.json()["createdAt"] == made.json()["createdAt"]
    assert restored.json()["updatedAt"] > made.json()["updatedAt"]
    assert [r["isDeleted"] for r in diff(client, "smart_album")] == [False]


def test_client_chosen_ids(alice: Account) -> None:
    client = alice.client
    key = make_key(alice)
    body = entity_body(key, {"n": 1})
    chosen = client.post("/user-entity/entity", json={**body, "id": "location_mine"})
    assert chosen.status_code == 200 and chosen.json()["id"] == "location_mine"
    taken = client.post("/user-entity/entity", json={**body, "id": "location_mine"})
    assert taken.status_code == 409 and taken.json()["code"] == "ALREADY_EXISTS"
    for bad in ("", "a/b", "x" * 65, "spaced id"):
        response = client.post("/user-entity/entity", json={**body, "id": bad})
        assert response.status_code == 400, bad


def test_other_users_entities_are_invisible(alice: Account, bob: Account) -> None:
    key = make_key(alice)
    made = alice.client.post("/user-entity/entity", json=entity_body(key, {"n": 1})).json()
    # Bob has no key of Alice's, sees none of her entities, and cannot touch them.
    assert bob.client.get("/user-entity/key", params={"type": "location"}).status_code == 404
    bob_key = make_key(bob)
    assert diff(bob.client) == []
    change = bob.client.put(
        "/user-entity/entity", json={"id": made["id"], **entity_body(bob_key, {"n": 2})}
    )
    assert change.status_code == 404
    assert bob.client.delete("/user-entity/entity", params={"id": made["id"]}).status_code == 404
    # Bob cannot take over Alice's id either.
    clash = bob.client.post(
        "/user-entity/entity", json={**entity_body(bob_key, {"n": 3}), "id": made["id"]}
    )
    assert clash.status_code == 409
    assert diff(alice.client) == [made]
