"""Anonymous visitors of an album link comment and react under a name they chose."""

from __future__ import annotations

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import create_album, upload
from tests.public_links.links import share_url, token_of, update_link
from tests.social.talk import AnonVisitor, box, comment, opened, social_diff, texts


def test_a_visitor_comments_and_likes_and_the_owner_sees_it(
    server: RunningServer, alice: Account
) -> None:
    album = create_album(alice)
    photo = upload(alice, album, b"a photo")
    link = share_url(alice, album, enableComment=True)
    visitor = AnonVisitor(server.url, token_of(link["url"]))
    assert visitor.info().status_code == 200

    # Nothing may be written before choosing a name.
    assert visitor.comment(photo.id, album.key, "hello").status_code == 401
    made = visitor.identify("Dana", album.key)
    assert made.status_code == 201, made.text
    assert visitor.anon_user_id.startswith("anon_") and made.json()["expiresAt"] > 0

    said = visitor.comment(photo.id, album.key, "Lovely!")
    assert said.status_code == 201, said.text
    liked = visitor.react(photo.id, album.key, "green_heart")
    assert liked.status_code == 200, liked.text
    owners = comment(alice, album.id, album.key, "Thank you", fileID=photo.id).json()["id"]

    # The owner sees the visitor's words, author -1 with the anonymous id, and the name.
    diff = social_diff(alice, album.id)
    row = next(c for c in diff["comments"] if c["id"] == said.json()["id"])
    assert row["userID"] == -1 and row["anonUserID"] == visitor.anon_user_id
    assert opened(row, album.key) == "Lovely!"
    assert [opened(r, album.key) for r in diff["reactions"]] == ["green_heart"]
    profiles = alice.client.get("/social/anon-profiles", params={"collectionID": album.id})
    [profile] = profiles.json()["profiles"]
    assert profile["anonUserID"] == visitor.anon_user_id
    assert opened(profile, album.key) == "Dana"

    # The visitor's feed: everyone's, with the owner's email masked.
    feed = visitor.feed(fileID=photo.id)
    assert feed.status_code == 200, feed.text
    assert texts(feed.json()["comments"], album.key) == {
        said.json()["id"]: "Lovely!",
        owners: "Thank you",
    }
    assert visitor.get("/public-collection/comments/diff").json()["hasMore"] is False
    assert len(visitor.get("/public-collection/reactions/diff").json()["reactions"]) == 1
    assert visitor.get("/public-collection/anon-profiles").json()["profiles"] == [profile]
    name, domain = alice.email.split("@")
    masked = visitor.get("/public-collection/participants/masked-emails").json()
    assert masked == {
        "participants": [
            {
                "userID": alice.client.user_id,
                "emailMasked": f"{name[:2]}{'*' * (len(name) - 2)}@"
                f"{domain[0]}{'*' * (len(domain) - 2)}{domain[-1]}",
            }
        ]
    }

    # Only one's own words may be taken back; the owner may remove a visitor's.
    anon = visitor.anon()
    assert visitor.delete(f"/public-collection/comments/{owners}", json=anon).status_code == 403
    edited = visitor.client.request(
        "PUT",
        f"/public-collection/comments/{said.json()['id']}",
        headers=visitor.headers(),
        json={**box("Lovely.", album.key), **anon},
    )
    assert edited.status_code == 200, edited.text
    unliked = visitor.delete(f"/public-collection/reactions/{liked.json()['id']}", json=anon)
    assert unliked.status_code == 200
    removed = visitor.delete(
        f"/public-collection/comments/{said.json()['id']}",
        json={},
        headers={"X-Auth-Token": alice.client.token or ""},
    )
    assert removed.status_code == 200, removed.text
    assert texts(visitor.feed().json()["comments"], album.key) == {
        said.json()["id"]: "",
        owners: "Thank you",
    }


def test_identities_are_checked(server: RunningServer, alice: Account) -> None:
    album = create_album(alice)
    photo = upload(alice, album, b"a photo")
    other = create_album(alice, name="Other")
    visitor = AnonVisitor(server.url, token_of(share_url(alice, album, enableComment=True)["url"]))
    stranger = AnonVisitor(server.url, token_of(share_url(alice, other, enableComment=True)["url"]))
    assert visitor.identify("Dana", album.key).status_code == 201
    assert stranger.identify("Eve", other.key).status_code == 201

    # Another album's identity, someone else's id with one's token, a forged token.
    stranger.token = visitor.token
    assert stranger.comment(photo.id, album.key, "hi").status_code == 403
    assert (
        visitor.comment(photo.id, album.key, "hi", anonUserID=stranger.anon_user_id).status_code
        == 400
    )
    forged = visitor.anon_token[:-4] + ("AAAA" if visitor.anon_token[-4:] != "AAAA" else "BBBB")
    assert visitor.comment(photo.id, album.key, "hi", anonToken=forged).status_code == 401
    assert visitor.comment(photo.id, album.key, "hi", anonToken="not-a-jwt").status_code == 401

    # Museum's limits on what visitors write: 280 bytes, names of 50.
    assert visitor.comment(photo.id, album.key, "x" * 281).json()["code"] == (
        "PUBLIC_COMMENT_TOO_LONG"
    )
    assert visitor.comment(photo.id, album.key, "x" * 280).status_code == 201
    assert visitor.identify("n" * 51, album.key).json()["code"] == "ANON_NAME_TOO_LONG"

    # Comments off: refused, reads too.
    assert update_link(alice, album, enableComment=False).status_code == 200
    refused = visitor.comment(photo.id, album.key, "hi")
    assert refused.status_code == 405 and refused.json()["code"] == "PUBLIC_COMMENT_DISABLED"
    assert visitor.feed().status_code == 405
    assert visitor.identify("Dana", album.key).status_code == 405
