"""Everything that ends a cast: the sender's stop (one TV or all), the album's deletion, the
sender losing the album (unshare, leave), account deletion; and the token's presentation."""

from __future__ import annotations

from sqlalchemy import select

from photo_api.db.session import Database
from photo_api.models import CastSession
from tests.cast.tv import Tv, cast
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, signup
from tests.fixtures.library import create_album, upload
from tests.fixtures.smtp import SmtpServer
from tests.sharing.test_account_deletion import delete_account
from tests.sharing.test_sharing import share, shared_album_key


def sessions_of_album(server: RunningServer, collection_id: int) -> int:
    db: Database = server.app.state.db
    with db.session(write=False) as session:
        return len(
            session.scalars(
                select(CastSession).where(CastSession.collection_id == collection_id)
            ).all()
        )


def test_the_sender_lists_and_stops_its_tvs(
    alice: Account, bob: Account, server: RunningServer
) -> None:
    summer, winter = create_album(alice, name="Summer"), create_album(alice, name="Winter")
    upload(alice, summer, b"sun")
    living_room, kitchen = Tv(server.url), Tv(server.url)
    cast(alice, living_room, summer.id, summer.key)
    cast(alice, kitchen, winter.id, winter.key)

    devices = alice.client.get("/cast/device-info").json()["devices"]
    assert [(d["collectionID"], d["deviceIP"]) for d in devices] == [
        (winter.id, kitchen.client.ip),
        (summer.id, living_room.client.ip),
    ]
    assert all(isinstance(d["lastUsedAt"], int) and len(d["deviceID"]) == 36 for d in devices)
    assert bob.client.get("/cast/device-info").json() == {"devices": []}
    kitchen_id = devices[0]["deviceID"]

    # Someone else's device id does nothing.
    assert bob.client.delete(f"/cast/device-info/{kitchen_id}").status_code == 200
    assert kitchen.diff().status_code == 200
    assert alice.client.delete(f"/cast/device-info/{kitchen_id}").status_code == 200
    assert kitchen.diff().status_code == 401
    assert living_room.diff().status_code == 200
    assert [d["collectionID"] for d in alice.client.get("/cast/device-info").json()["devices"]] == [
        summer.id
    ]
    # Stopping is idempotent, in both spellings.
    assert alice.client.delete(f"/cast/device-info/{kitchen_id}").status_code == 200
    assert bob.client.delete("/cast/revoke-all-tokens/").status_code == 200
    assert living_room.diff().status_code == 200
    assert alice.client.delete("/cast/revoke-all-tokens/").status_code == 200
    assert living_room.diff().status_code == 401
    assert alice.client.get("/cast/device-info").json() == {"devices": []}


def test_a_sharee_cast_ends_when_the_share_does(
    alice: Account, bob: Account, server: RunningServer
) -> None:
    album = create_album(alice, name="Trip")
    photo = upload(alice, album, b"alice's photo")
    assert share(alice, album, bob, "VIEWER").status_code == 200
    key, _ = shared_album_key(bob, album.id)
    tv = Tv(server.url)
    cast(bob, tv, album.id, key)
    assert [row["id"] for row in tv.album()] == [photo.id]
    assert tv.fetch(photo.id).status_code == 200

    # The owner's revoke-all is about the owner's casts, not the sharee's.
    assert alice.client.delete("/cast/revoke-all-tokens").status_code == 200
    assert tv.diff().status_code == 200

    response = alice.client.post(
        "/collections/unshare", json={"collectionID": album.id, "email": bob.email}
    )
    assert response.status_code == 200, response.text
    assert tv.diff().status_code == 401
    assert tv.fetch(photo.id).status_code == 401
    assert sessions_of_album(server, album.id) == 0

    # Shared again, cast again, then Bob leaves.
    assert share(alice, album, bob, "COLLABORATOR").status_code == 200
    tv = Tv(server.url)
    cast(bob, tv, album.id, key)
    assert tv.diff().status_code == 200
    assert bob.client.post(f"/collections/leave/{album.id}").status_code == 200
    assert tv.diff().status_code == 401
    assert sessions_of_album(server, album.id) == 0


def test_album_and_account_deletion_end_casts(
    alice: Account, bob: Account, server: RunningServer, smtp_server: SmtpServer
) -> None:
    album = create_album(alice, name="Going away")
    assert share(alice, album, bob, "VIEWER").status_code == 200
    key, _ = shared_album_key(bob, album.id)
    by_owner, by_sharee = Tv(server.url), Tv(server.url)
    cast(alice, by_owner, album.id, album.key)
    cast(bob, by_sharee, album.id, key)

    deleted = alice.client.delete(f"/collections/v3/{album.id}", params={"keepFiles": "false"})
    assert deleted.status_code == 200
    assert by_owner.diff().status_code == 401 and by_sharee.diff().status_code == 401
    assert sessions_of_album(server, album.id) == 0

    # Carol casts her own album and Alice's; when Carol goes, so do her casts, and when
    # Alice goes, so do others' casts of Alice's albums.
    carol = signup(server.url, smtp_server.mailbox)
    hers, shared = create_album(carol, name="Carol's"), create_album(alice, name="Shared")
    assert share(alice, shared, carol, "VIEWER").status_code == 200
    shared_key, _ = shared_album_key(carol, shared.id)
    own_tv, shared_tv = Tv(server.url), Tv(server.url)
    cast(carol, own_tv, hers.id, hers.key)
    cast(carol, shared_tv, shared.id, shared_key)
    alices_tv = Tv(server.url)
    cast(alice, alices_tv, shared.id, shared.key)

    delete_account(carol)
    assert own_tv.diff().status_code == 401 and shared_tv.diff().status_code == 401
    assert sessions_of_album(server, hers.id) == 0
    assert alices_tv.diff().status_code == 200

    assert share(alice, shared, bob, "VIEWER").status_code == 200
    bobs_tv = Tv(server.url)
    cast(bob, bobs_tv, shared.id, shared.key)
    delete_account(alice)
    assert alices_tv.diff().status_code == 401 and bobs_tv.diff().status_code == 401
    assert sessions_of_album(server, shared.id) == 0


def test_the_cast_token_and_how_it_is_presented(alice: Account, server: RunningServer) -> None:
    album = create_album(alice)
    photo = upload(alice, album, b"photo")
    tv = Tv(server.url)
    cast(alice, tv, album.id, album.key)
    token = tv.token

    # The header, else the query string; the header wins.
    plain = tv.client.http
    assert plain.get("/cast/diff", params={"sinceTime": 0, "castToken": token}).status_code == 200
    response = plain.get(
        "/cast/diff",
        params={"sinceTime": 0, "castToken": token},
        headers={"X-Cast-Access-Token": "cast_wrong"},
    )
    assert response.status_code == 401 and response.json() == {"error": "invalid token"}
    response = plain.get(
        "/cast/diff",
        params={"sinceTime": 0, "castToken": "cast_wrong"},
        headers={"X-Cast-Access-Token": token},
    )
    assert response.status_code == 200

    # Nothing else stands in for it: neither a session token nor a link's.
    for path in ("/cast/info", "/cast/diff?sinceTime=0", f"/cast/files/download/{photo.id}"):
        response = alice.client.get(path)
        assert response.status_code == 401, path
        assert response.json() == {"error": "cast access token missing"}
    # A cast token is no session token either.
    response = plain.get(
        "/collections/v2", params={"sinceTime": 0}, headers={"X-Auth-Token": token}
    )
    assert response.status_code == 401
