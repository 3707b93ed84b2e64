"""POST /collections/join-link: a signed-in user joins an album from its public link."""

from __future__ import annotations

import secrets

import httpx

from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import Album, collection_diff, create_album, upload
from tests.fixtures.net import http
from tests.fixtures.smtp import SmtpServer
from tests.public_links.links import LinkPassword, Visitor, share_url, token_of, update_link
from tests.sharing.test_sharing import shared_album_key


def join(
    joiner: Account, album: Album, token: str, *, jwt: str | None = None, key: str | None = None
) -> httpx.Response:
    """The web's joinAlbum: the album key (read from the link's fragment) sealed to oneself."""
    keys = joiner.client.keys
    assert keys is not None
    headers = {"X-Auth-Access-Token": token}
    if jwt:
        headers["X-Auth-Access-Token-JWT"] = jwt
    sealed = key or crypto.seal(album.key, keys.public_key)
    return joiner.client.post(
        "/collections/join-link",
        json={"collectionID": album.id, "encryptedKey": sealed},
        headers=headers,
    )


def role_of(owner: Account, album: Album, user: Account) -> str | None:
    sharees = owner.client.get("/collections/sharees", params={"collectionID": album.id}).json()
    return next((s["role"] for s in sharees["sharees"] if s["id"] == user.client.user_id), None)


def test_join_as_viewer_then_collaborator(
    alice: Account, bob: Account, server: RunningServer, smtp_server: SmtpServer
) -> None:
    album = create_album(alice, name="Open house")
    photo = upload(alice, album, b"for whoever joins")
    link = share_url(alice, album)
    token = token_of(link["url"])

    mails = smtp_server.mailbox.count()
    response = join(bob, album, token)
    assert response.status_code == 200, response.text
    assert role_of(alice, album, bob) == "VIEWER"
    mail = smtp_server.mailbox.wait_for(alice.email, after=mails)
    assert bob.email in mail["Subject"]
    # Bob's own sync now holds the album and its file, under the key he sealed.
    key, entry = shared_album_key(bob, album.id)
    assert key == album.key and entry["owner"]["id"] == alice.client.user_id
    assert [f["id"] for f in collection_diff(bob.client, album.id)] == [photo.id]

    # With collecting on, joining (again) makes a collaborator; a later viewer link does not
    # take that back.
    assert update_link(alice, album, enableCollect=True).status_code == 200
    assert join(bob, album, token).status_code == 200
    assert role_of(alice, album, bob) == "COLLABORATOR"
    assert update_link(alice, album, enableCollect=False).status_code == 200
    assert join(bob, album, token).status_code == 200
    assert role_of(alice, album, bob) == "COLLABORATOR"


def test_join_refusals(alice: Account, bob: Account, server: RunningServer) -> None:
    album = create_album(alice)
    link = share_url(alice, album)
    token = token_of(link["url"])

    # Joining is on by default; the owner may turn it off.
    assert update_link(alice, album, enableJoin=False).status_code == 200
    response = join(bob, album, token)
    assert response.status_code == 400 and response.json()["code"] == "BAD_REQUEST"
    assert update_link(alice, album, enableJoin=True).status_code == 200
    # The owner cannot join; a wrong token is 403; a key that is not a sealed box is 400.
    assert join(alice, album, token).status_code == 400
    assert join(bob, album, "A" * len(token)).status_code == 403
    short = crypto.b64(secrets.token_bytes(48))
    assert join(bob, album, token, key=short).status_code == 400
    assert join(bob, Album(id=2**40, key=album.key, body={}), token).status_code == 404
    # Downloads off means no joining either.
    assert update_link(alice, album, enableDownload=False).status_code == 200
    assert join(bob, album, token).status_code == 400
    assert update_link(alice, album, enableDownload=True).status_code == 200
    # A password link wants the proof of the password.
    password = LinkPassword("let me in")
    assert update_link(alice, album, **password.update_fields()).status_code == 200
    assert join(bob, album, token).status_code == 401
    visitor = Visitor(server.url, token)
    assert visitor.unlock(password).status_code == 200
    assert join(bob, album, token, jwt=visitor.jwt).status_code == 200
    # A disabled link cannot be joined.
    assert alice.client.delete(f"/collections/share-url/{album.id}").status_code == 200
    assert role_of(alice, album, bob) == "VIEWER"
    other = create_album(alice)
    assert join(bob, other, token).status_code == 404
    assert role_of(alice, other, bob) is None
    # Without a session it is refused like every private route.
    anonymous = http.post(
        f"{server.url}/collections/join-link",
        json={"collectionID": album.id, "encryptedKey": short},
        headers={"X-Auth-Access-Token": token},
    )
    assert anonymous.status_code == 401
