"""Pairing: who may claim a code, for which album; codes that expire; bad input."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from photo_api.clock import MICROS_PER_DAY, MICROS_PER_SECOND, now_us
from photo_api.db.session import Database
from photo_api.jobs import expiry
from photo_api.models import CastSession
from tests.cast.tv import Tv, cast, new_cast_token, public_key_of, publish
from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import create_album, upload


def age(server: RunningServer, code: str, **columns: int) -> None:
    """Pretend the TV registered, or last used its token, that many seconds ago."""
    db: Database = server.app.state.db
    values = {name: now_us() - seconds * MICROS_PER_SECOND for name, seconds in columns.items()}
    with db.session() as session:
        session.execute(update(CastSession).where(CastSession.code == code).values(**values))
        session.commit()


def claim(sender: Account, tv: Tv, album_id: int, key: bytes, **kwargs: str):
    return publish(
        sender,
        code=kwargs.pop("code", tv.code),
        collection_id=album_id,
        collection_key=key,
        public_key=tv.public_key,
        **kwargs,
    )


def test_only_albums_the_sender_takes_part_in(
    alice: Account, bob: Account, server: RunningServer
) -> None:
    album = create_album(alice)
    upload(alice, album, b"alice's photo")
    tv = Tv(server.url)
    assert tv.register().status_code == 200

    # Bob may not cast Alice's album: he knows its id, not a way in.
    response = claim(bob, tv, album.id, album.key)
    assert response.status_code == 404, response.text
    assert tv.poll().json() == {"encCastData": None}
    # Nor a code that does not exist (museum answers 200 and the TV never pairs).
    response = claim(alice, tv, album.id, album.key, code="ZZZZZZ")
    assert response.status_code == 404
    assert public_key_of(alice, "ZZZZZZ").json() == {
        "code": "NOT_FOUND",
        "message": "code not found",
    }

    # The trailing-slash twin, as old desktop builds call it; the code as typed, lower-case.
    response = claim(
        alice, tv, album.id, album.key, code=f" {tv.code.lower()}", path="/cast/cast-data/"
    )
    assert response.status_code == 200, response.text
    tv.pair()
    assert tv.diff().status_code == 200

    # Once claimed, the code is not someone else's to take over, nor even to look up.
    bobs = create_album(bob)
    assert public_key_of(bob, tv.code).status_code == 404
    assert claim(bob, tv, bobs.id, bobs.key).status_code == 404
    assert tv.diff().status_code == 200
    # Its claimant may point it at another album.
    other = create_album(alice, name="Other")
    assert public_key_of(alice, tv.code).json() == {"publicKey": crypto.b64(tv.public_key)}
    assert claim(alice, tv, other.id, other.key).status_code == 200
    tv.pair()
    assert tv.collection_id == other.id and tv.diff().json()["diff"] == []

    # A deleted album cannot be cast.
    deleted = alice.client.delete(f"/collections/v3/{other.id}", params={"keepFiles": "false"})
    assert deleted.status_code == 200
    fresh = Tv(server.url)
    assert fresh.register().status_code == 200
    assert claim(alice, fresh, other.id, other.key).status_code == 404


def test_a_cast_token_belongs_to_one_session(alice: Account, server: RunningServer) -> None:
    album = create_album(alice)
    first, second = Tv(server.url), Tv(server.url)
    assert first.register().status_code == 200 and second.register().status_code == 200
    token = new_cast_token()
    assert claim(alice, first, album.id, album.key, token=token).status_code == 200
    response = claim(alice, second, album.id, album.key, token=token)
    assert response.status_code == 400 and "castToken" in response.json()["message"]
    assert second.poll().json() == {"encCastData": None}


def test_codes_expire(alice: Account, server: RunningServer) -> None:
    album = create_album(alice)
    tv = Tv(server.url)
    assert tv.register().status_code == 200
    age(server, tv.code, created_at=61 * 60, last_used_at=61 * 60)
    # An hour unclaimed: the code is gone for everyone, and the TV draws a new one.
    assert tv.poll().status_code == 404
    assert public_key_of(alice, tv.code).status_code == 404
    assert claim(alice, tv, album.id, album.key).status_code == 404
    assert expiry.run(server.app.state.db)["cast_sessions"] >= 1
    assert tv.poll().status_code == 404

    # A claimed session lives while it is used; a week idle ends it.
    tv = Tv(server.url)
    cast(alice, tv, album.id, album.key)
    age(server, tv.code, created_at=30 * 24 * 3600, last_used_at=6 * 24 * 3600)
    expiry.run(server.app.state.db)
    assert tv.diff().status_code == 200
    # That use counted: a week from now it would still be live.
    expiry.run(server.app.state.db, now=now_us() + 6 * MICROS_PER_DAY)
    assert tv.diff().status_code == 200
    age(server, tv.code, last_used_at=7 * 24 * 3600 + 60)
    assert tv.diff().status_code == 401
    assert alice.client.get("/cast/device-info").json() == {"devices": []}
    assert expiry.run(server.app.state.db)["cast_sessions"] >= 1
    assert tv.poll().status_code == 404


def test_bad_input_is_a_clear_4xx(alice: Account, server: RunningServer) -> None:
    album = create_album(alice)
    tv = Tv(server.url)
    for body in (
        {},
        {"publicKey": ""},
        {"publicKey": "not base64!"},
        {"publicKey": crypto.b64(b"short")},
        {"publicKey": crypto.b64(bytes(32)) * 4},
        {"publicKey": 42},
    ):
        response = tv.client.post("/cast/device-info", json=body)
        assert response.status_code == 400, (body, response.text)
        assert response.json()["code"] == "BAD_REQUEST"
    response = tv.client.post("/cast/device-info", content=b"{not json")
    assert response.status_code == 400

    assert tv.register().status_code == 200
    token = new_cast_token()
    sealed = {"castToken": token, "collectionID": album.id, "collectionKey": crypto.b64(album.key)}
    good = {
        "collectionID": album.id,
        "castToken": token,
        "encPayload": crypto.seal(json.dumps(sealed).encode(), tv.public_key),
        "deviceCode": tv.code,
    }
    for change in (
        {"collectionID": 0},
        {"collectionID": 2**63},
        {"collectionID": "many"},
        {"castToken": ""},
        {"castToken": "short"},
        {"castToken": "x" * 513},
        {"encPayload": ""},
        {"encPayload": "%%%"},
        {"encPayload": "A" * 8192},
        {"deviceCode": ""},
    ):
        response = alice.client.post("/cast/cast-data", json={**good, **change})
        assert response.status_code == 400, (change, response.text)
    missing = {k: v for k, v in good.items() if k != "castToken"}
    assert alice.client.post("/cast/cast-data", json=missing).status_code == 400
    assert public_key_of(alice, "x" * 65).status_code in (400, 404)
    assert tv.client.get(f"/cast/cast-data/{'Q' * 7}").status_code == 404

    assert alice.client.delete("/cast/device-info/not-a-uuid").status_code == 400

    assert alice.client.post("/cast/cast-data", json=good).status_code == 200
    tv.pair()
    for params in ({}, {"sinceTime": "yesterday"}, {"sinceTime": str(2**64)}):
        response = tv.get("/cast/diff", params=params)
        assert response.status_code == 400, (params, response.text)
    assert tv.get("/cast/files/download/photo").status_code == 400
    assert tv.get(f"/cast/files/preview/{2**64}").status_code == 400


def test_registrations_are_limited_per_address(server: RunningServer) -> None:
    tv = Tv(server.url)
    # Ten a minute; the window is the clock's minute, so a run may straddle two of them.
    accepted = 0
    while (response := tv.register()).status_code == 200 and accepted < 25:
        accepted += 1
    assert 10 <= accepted <= 20
    # Both forms count as one route.
    response = tv.client.post("/cast/device-info/", json={"publicKey": crypto.b64(tv.public_key)})
    assert response.status_code == 429
    assert response.json() == {"error": "Rate limit breached, try later"}
    # Another TV, elsewhere, is not affected.
    assert Tv(server.url).register().status_code == 200


def test_a_sender_casts_to_a_bounded_number_of_tvs(
    alice: Account, server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from photo_api.cast import service

    monkeypatch.setattr(service, "MAX_SESSIONS_PER_USER", 2)
    album = create_album(alice)
    first, second, third = Tv(server.url), Tv(server.url), Tv(server.url)
    cast(alice, first, album.id, album.key)
    cast(alice, second, album.id, album.key)
    assert third.register().status_code == 200
    response = claim(alice, third, album.id, album.key)
    assert response.status_code == 403, response.text
    assert response.json()["code"] == "CAST_DEVICE_LIMIT_REACHED"
    # Pointing a TV already cast to at something else is no new session.
    assert claim(alice, second, album.id, album.key).status_code == 200
    assert alice.client.delete("/cast/revoke-all-tokens").status_code == 200
    assert claim(alice, third, album.id, album.key).status_code == 200


def test_the_cast_url_is_a_setting(alice: Account, server: RunningServer) -> None:
    from photo_api.users import service

    assert alice.client.get("/remote-store/feature-flags").json()["castUrl"] == (
        server.settings.cast_origin
    )
    settings = server.settings.model_copy(update={"cast_origin": "https://tv.example.org"})
    assert alice.client.user_id is not None
    db: Database = server.app.state.db
    with db.session(write=False) as session:
        flags = service.feature_flags(session, user_id=alice.client.user_id, settings=settings)
    assert flags["castUrl"] == "https://tv.example.org"
    assert flags["serverApiFlag"] & 16, "CastSessionsV2: the session list is served to all"
