"""Malformed or hostile input gets a 4xx JSON answer, never a 500."""

from __future__ import annotations

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import create_album, upload
from tests.public_links.links import share_url, token_of
from tests.social.talk import AnonVisitor, box, reaction_box

HUGE = 2**64


def test_bad_input_is_refused(server: RunningServer, alice: Account) -> None:
    album = create_album(alice)
    photo = upload(alice, album, b"a photo")
    good = box("hi", album.key)
    client = alice.client
    cases = [
        ("POST", "/comments", {"collectionID": HUGE, **good}),
        ("POST", "/comments", {"collectionID": album.id, "fileID": HUGE, **good}),
        ("POST", "/comments", {"collectionID": album.id, "cipher": "!!", "nonce": "AAAA"}),
        ("POST", "/comments", {"collectionID": album.id, "nonce": "AAAA"}),
        ("POST", "/comments", {"collectionID": album.id, "cipher": "A" * 30000, "nonce": "AAAA"}),
        ("POST", "/comments", {"collectionID": album.id, "id": "rct_x", **good}),
        (
            "POST",
            "/comments",
            {"collectionID": album.id, "parentCommentID": "cmt_" + "x" * 21, **good},
        ),
        ("POST", "/comments", {"collectionID": -1, **good}),
        ("POST", "/comments", [1, 2]),
        ("PUT", "/reactions", {"collectionID": album.id, "fileID": photo.id, **good}),
        (
            "PUT",
            "/reactions",
            {"collectionID": album.id, "commentID": "' OR 1=1 --", **reaction_box("x", album.key)},
        ),
        (
            "PUT",
            "/reactions",
            {"collectionID": album.id, "fileID": 12345, **reaction_box("x", album.key)},
        ),
        ("PUT", "/comments/cmt_nope", {"cipher": "AAAA", "nonce": "AAAA"}),
        ("DELETE", "/comments/" + "x" * 200, None),
        ("DELETE", "/reactions/rct_missing", None),
    ]
    for method, path, body in cases:
        response = client.request(method, path, json=body)
        assert 400 <= response.status_code < 500, (path, body, response.text)
        assert "code" in response.json() or "error" in response.json()
    for params in (
        {"collectionID": "x"},
        {"collectionID": HUGE},
        {"collectionID": album.id, "sinceTime": HUGE},
        {"collectionID": album.id, "limit": 0},
        {"collectionID": album.id, "fileID": "1.5"},
    ):
        response = client.get("/social/diff", params=params)
        assert response.status_code == 400, (params, response.text)

    # A limit past museum's maximum is lowered to it, not refused.
    assert (
        client.get(
            "/social/diff", params={"collectionID": album.id, "limit": HUGE // 4}
        ).status_code
        == 200
    )

    visitor = AnonVisitor(server.url, token_of(share_url(alice, album, enableComment=True)["url"]))
    assert visitor.identify("Dana", album.key).status_code == 201
    for body in (
        {"fileID": HUGE, **good, **visitor.anon()},
        {"fileID": photo.id, "cipher": "AAAA", "nonce": "AAAA", **visitor.anon()},
        {"fileID": photo.id, "cipher": "@@@@", "nonce": "AAAA", **visitor.anon()},
        {"fileID": photo.id, **good, "anonUserID": 5, "anonToken": visitor.anon_token},
        {"fileID": photo.id, **good, "anonUserID": visitor.anon_user_id, "anonToken": "x" * 5000},
    ):
        response = visitor.post("/public-collection/comments", json=body)
        assert 400 <= response.status_code < 500, (body, response.text)
    assert visitor.delete("/public-collection/comments/cmt_x", content=b"{oops").status_code == 400
    assert (
        visitor.get("/public-collection/social/diff", params={"sinceTime": HUGE}).status_code == 400
    )
    no_link = AnonVisitor(server.url, "nonsense")
    assert no_link.identify("x", album.key).status_code == 401
