"""Public album links: the owner's settings and what anonymous visitors get, as museum answers."""

from __future__ import annotations

import re
import time
from typing import Any

from sqlalchemy import String, cast, func, select

from photo_api.jobs import expiry
from photo_api.models import LinkDevice, PublicCollectionLink
from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import Album, create_album, upload
from tests.public_links.links import (
    LinkPassword,
    Visitor,
    share_url,
    token_of,
    update_link,
)


def updation_time(account: Account, album_id: int) -> int:
    return int(account.client.get(f"/collections/{album_id}").json()["collection"]["updationTime"])


def test_create_returns_one_live_link(alice: Account, server: RunningServer) -> None:
    album = create_album(alice)
    before = updation_time(alice, album.id)
    link = share_url(alice, album)
    assert link["url"].startswith(f"{server.settings.albums_origin}/?t=")
    assert re.fullmatch(r"[2-9A-Z]{10}", token_of(link["url"]))
    assert link == {
        "url": link["url"],
        "deviceLimit": 0,
        "validTill": 0,
        "enableDownload": True,
        "enableCollect": False,
        "enableComment": False,
        "passwordEnabled": False,
        "enableJoin": True,
    }
    # The owner's other devices learn of the link through the collection diff.
    assert updation_time(alice, album.id) > before
    again = share_url(alice, album, enableCollect=True, enableJoin=False)
    assert again == link


def test_only_the_owner_manages_links(alice: Account, bob: Account) -> None:
    album = create_album(alice)
    share_url(alice, album)
    for response in (
        bob.client.post("/collections/share-url", json={"collectionID": album.id}),
        bob.client.put(
            "/collections/share-url", json={"collectionID": album.id, "enableDownload": False}
        ),
        bob.client.delete(f"/collections/share-url/{album.id}"),
    ):
        assert response.status_code == 403, response.text
    assert alice.client.post("/collections/share-url", json={"collectionID": 1}).status_code in (
        403,
        404,
    )
    uncategorized = create_album(alice, type_="uncategorized")
    response = alice.client.post("/collections/share-url", json={"collectionID": uncategorized.id})
    assert response.status_code == 400


def test_update_follows_museums_rules(alice: Account) -> None:
    album = create_album(alice)
    assert update_link(alice, album, enableDownload=False).status_code == 404  # no link yet
    share_url(alice, album)
    password = LinkPassword("hunter2")
    now = time.time_ns() // 1000
    refused: list[tuple[dict[str, Any], str]] = [
        ({}, "all parameters are missing"),
        ({"memLimit": 1, "opsLimit": 1}, "all parameters are missing"),
        ({"deviceLimit": 51}, "out of range"),
        ({"deviceLimit": -1}, "out of range"),
        ({"validTill": now - 1_000_000}, "greater than current"),
        ({"passHash": password.pass_hash}, "either present or missing"),
        ({**password.update_fields(), "disablePassword": True}, "same request"),
        ({"minRole": "SUPERUSER"}, "invalid min role"),
    ]
    for body, message in refused:
        response = update_link(alice, album, **body)
        assert response.status_code == 400, (body, response.text)
        assert response.json()["code"] == "BAD_REQUEST" and message in response.json()["message"]

    response = update_link(
        alice,
        album,
        deviceLimit=50,
        validTill=now + 3_600_000_000,
        enableCollect=True,
        minRole="COLLABORATOR",
        **password.update_fields(),
    )
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    assert result["deviceLimit"] == 50 and result["validTill"] == now + 3_600_000_000
    assert result["passwordEnabled"] is True and result["nonce"] == password.nonce
    assert result["minRole"] == "COLLABORATOR" and result["enableCollect"] is True
    result = update_link(alice, album, disablePassword=True, validTill=0).json()["result"]
    assert result["passwordEnabled"] is False and "nonce" not in result
    assert result["validTill"] == 0


def test_malformed_bodies_are_400_json(alice: Account) -> None:
    album = create_album(alice)
    share_url(alice, album)
    client = alice.client
    malformed: list[dict[str, Any]] = [
        {"content": b"not json"},
        {"json": []},
        {"content": b"null"},
        {"json": {"collectionID": "seven"}},
        {"json": {"collectionID": 0}},
        {"json": {"collectionID": 2**70}},
        {"json": {"collectionID": album.id, "validTill": 2**64}},
        {"json": {"collectionID": album.id, "deviceLimit": 2**40}},
        {"json": {"collectionID": album.id, "enableCollect": "maybe"}},
    ]
    for method in ("POST", "PUT"):
        for kwargs in malformed:
            response = client.request(method, "/collections/share-url", **kwargs)
            assert response.status_code == 400, (method, kwargs, response.text)
            assert response.json()["code"] == "BAD_REQUEST"
    assert client.delete("/collections/share-url/nope").status_code == 400
    assert client.delete(f"/collections/share-url/{2**70}").status_code == 400


def test_visitor_sees_album_without_private_parts(alice: Account, server: RunningServer) -> None:
    album = create_album(alice, name="Summer")
    photo = upload(alice, album, b"a summer photo")
    link = share_url(alice, album)
    visitor = Visitor(server.url, token_of(link["url"]))

    response = visitor.info()
    assert response.status_code == 200, response.text
    assert response.headers["x-ente-link-device-token"]
    body = response.json()
    collection = body["collection"]
    assert collection["id"] == album.id and collection["sharees"] is None
    assert collection["owner"] == {"id": alice.client.user_id, "email": "", "name": "", "role": ""}
    assert "magicMetadata" not in collection
    assert collection["publicURLs"] == [
        {
            "url": "",
            "deviceLimit": 0,
            "validTill": 0,
            "enableDownload": True,
            "enableCollect": False,
            "enableComment": False,
            "passwordEnabled": False,
            "enableJoin": True,
        }
    ]
    # The viewer decrypts the name with the key from the URL fragment.
    name = crypto.secretbox_decrypt(
        collection["encryptedName"], collection["nameDecryptionNonce"], album.key
    )
    assert name == b"Summer"
    assert isinstance(body["referralCode"], str) and len(body["referralCode"]) == 6
    assert visitor.get("/public/collections").json() == body

    diff = visitor.diff()
    assert diff.status_code == 200, diff.text
    assert "x-ente-link-device-token" not in diff.headers
    rows = diff.json()["diff"]
    assert [r["id"] for r in rows] == [photo.id] and diff.json()["hasMore"] is False
    assert "magicMetadata" not in rows[0] and "action" not in rows[0]
    file_key = crypto.secretbox_decrypt(
        rows[0]["encryptedKey"], rows[0]["keyDecryptionNonce"], album.key
    )
    assert file_key == photo.key
    assert visitor.get("/public-collection/diff", params={"sinceTime": "x"}).status_code == 400


def test_missing_and_unknown_tokens(server: RunningServer) -> None:
    anonymous = Visitor(server.url, "")
    response = anonymous.client.get("/public-collection/info")
    assert response.status_code == 401
    assert response.json() == {"error": "missing accessToken", "context": "album_link"}
    response = Visitor(server.url, "ZZZZZZZZZZ").info()
    assert response.status_code == 401 and response.json() == {"error": "invalid token"}


def test_disabled_link_is_gone(alice: Account, server: RunningServer) -> None:
    album = create_album(alice)
    link = share_url(alice, album)
    before = updation_time(alice, album.id)
    response = alice.client.delete(f"/collections/share-url/{album.id}")
    assert response.status_code == 200 and response.content == b""
    assert updation_time(alice, album.id) > before
    response = Visitor(server.url, token_of(link["url"])).info()
    assert response.status_code == 410 and response.json() == {"error": "disabled token"}
    fresh = share_url(alice, album)
    assert fresh["url"] != link["url"]
    assert Visitor(server.url, token_of(fresh["url"])).info().status_code == 200


def test_expired_link_is_gone(alice: Account, server: RunningServer) -> None:
    album = create_album(alice)
    link = share_url(alice, album)
    valid_till = time.time_ns() // 1000 + 1_500_000
    assert update_link(alice, album, validTill=valid_till).status_code == 200
    visitor = Visitor(server.url, token_of(link["url"]))
    assert visitor.info().status_code == 200
    time.sleep(max(0.0, (valid_till - time.time_ns() // 1000) / 1e6) + 0.2)
    response = visitor.info()
    assert response.status_code == 410 and response.json() == {"error": "expired token"}
    assert visitor.diff().status_code == 410


def test_password_protected_link(alice: Account, server: RunningServer) -> None:
    album = create_album(alice)
    upload(alice, album, b"behind a password")
    link = share_url(alice, album)
    password = LinkPassword("open sesame")
    assert update_link(alice, album, **password.update_fields()).status_code == 200
    visitor = Visitor(server.url, token_of(link["url"]))

    # /info needs no proof: it carries what the viewer needs to derive the hash.
    info = visitor.info().json()["collection"]["publicURLs"][0]
    assert info["passwordEnabled"] is True and info["nonce"] == password.nonce
    assert info["opsLimit"] == password.update_fields()["opsLimit"]
    response = visitor.diff()
    assert response.status_code == 401 and response.json() == {"error": {}}
    visitor.jwt = "not.a.jwt"
    assert visitor.diff().status_code == 401
    visitor.jwt = None

    assert visitor.unlock(LinkPassword("wrong", nonce=password.nonce)).status_code == 401
    response = visitor.unlock(password)
    assert response.status_code == 200, response.text
    assert visitor.diff().status_code == 200

    # A new password invalidates every proof issued for the old one.
    new_password = LinkPassword("new sesame")
    assert update_link(alice, album, **new_password.update_fields()).status_code == 200
    assert visitor.diff().status_code == 401
    assert visitor.unlock(new_password).status_code == 200
    assert visitor.diff().status_code == 200

    assert update_link(alice, album, disablePassword=True).status_code == 200
    visitor.jwt = None
    assert visitor.diff().status_code == 200
    response = visitor.unlock(password)
    assert response.status_code == 400


def test_verify_password_is_rate_limited(alice: Account, server: RunningServer) -> None:
    album = create_album(alice)
    link = share_url(alice, album)
    password = LinkPassword("guess me")
    update_link(alice, album, **password.update_fields())
    visitor = Visitor(server.url, token_of(link["url"]))
    wrong = LinkPassword("nope", nonce=password.nonce)
    statuses = [visitor.unlock(wrong).status_code for _ in range(11)]
    assert statuses == [401] * 10 + [429]
    assert visitor.unlock(password).status_code == 429
    # Another address still gets in.
    assert Visitor(server.url, visitor.token).unlock(password).status_code == 200


def test_device_limit(alice: Account, server: RunningServer) -> None:
    album = create_album(alice)
    link = share_url(alice, album)
    assert update_link(alice, album, deviceLimit=2).status_code == 200
    token = token_of(link["url"])
    first, second, third = (Visitor(server.url, token) for _ in range(3))
    assert first.info().status_code == 200 and first.device_token
    assert second.diff().status_code == 200
    for response in (third.info(), third.diff()):
        assert response.status_code == 403
        assert response.json() == {
            "code": "LINK_DEVICE_LIMIT_EXCEEDED",
            "message": "Public link device limit reached",
        }
    # Known devices come back, by address and user agent or by their device token.
    assert second.info().status_code == 200
    moved = Visitor(server.url, token)
    moved.device_token = first.device_token
    response = moved.info()
    assert response.status_code == 200
    # A fresh token is only minted when the old one nears its end.
    assert "x-ente-link-device-token" not in response.headers
    forged = Visitor(server.url, token)
    forged.device_token = first.device_token[:-4] + "AAAA"
    assert forged.info().status_code == 403

    # 0 lifts the limit.
    assert update_link(alice, album, deviceLimit=0).status_code == 200
    assert third.info().status_code == 200


def test_devices_of_disabled_links_are_forgotten(alice: Account, server: RunningServer) -> None:
    kept, closed = create_album(alice), create_album(alice)
    for album in (kept, closed):
        link = share_url(alice, album)
        assert update_link(alice, album, deviceLimit=5).status_code == 200
        assert Visitor(server.url, token_of(link["url"])).info().status_code == 200
    assert alice.client.delete(f"/collections/share-url/{closed.id}").status_code == 200

    def devices(album: Album) -> int:
        with server.app.state.db.session(write=False) as session:
            link_ids = select(cast(PublicCollectionLink.id, String)).where(
                PublicCollectionLink.collection_id == album.id
            )
            query = select(func.count()).where(LinkDevice.link_id.in_(link_ids))
            return int(session.scalar(query) or 0)

    assert devices(kept) == devices(closed) == 1
    assert expiry.run(server.app.state.db)["link_devices"] >= 1
    assert (devices(kept), devices(closed)) == (1, 0)


def test_origin_check(alice: Account, server: RunningServer) -> None:
    album = create_album(alice)
    visitor = Visitor(server.url, token_of(share_url(alice, album)["url"]))
    for origin in (server.settings.albums_origin, "http://localhost:3002"):
        assert visitor.get("/public-collection/info", headers={"Origin": origin}).status_code == 200
    response = visitor.get("/public-collection/info", headers={"Origin": "https://evil.example"})
    assert response.status_code == 410 and response.json() == {"error": "no active subscription"}
