"""The functions other packages call: publicURLs for listings, join checks, disabling links.

They have no route of their own yet, so they are called here on the running server's database,
on data made through the API, the way their callers will use them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy.orm import Session

from photo_api.errors import ApiError
from photo_api.public_links import service
from photo_api.public_links.devices import effective_limit
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import create_album
from tests.public_links.links import LinkPassword, Visitor, share_url, token_of, update_link


@contextmanager
def db_session(server: RunningServer) -> Iterator[Session]:
    with server.app.state.db.session() as session:
        yield session
        session.commit()


def test_public_urls_for_listings(alice: Account, server: RunningServer) -> None:
    shared, plain = create_album(alice), create_album(alice, name="No link")
    link = share_url(alice, shared)
    update_link(alice, shared, minRole="ADMIN")
    ids = [shared.id, plain.id]
    with db_session(server) as session:
        owner = service.public_urls(
            session, settings=server.settings, collection_ids=ids, owner_view=True
        )
        viewer = service.public_urls(
            session, settings=server.settings, collection_ids=ids, owner_view=False
        )
        admin = service.public_urls(
            session,
            settings=server.settings,
            collection_ids=ids,
            owner_view=False,
            roles={shared.id: "ADMIN"},
        )
    assert owner[plain.id] == [] and [u["url"] for u in owner[shared.id]] == [link["url"]]
    assert owner[shared.id][0]["minRole"] == "ADMIN"
    assert viewer == {shared.id: [], plain.id: []}
    assert admin[shared.id] == owner[shared.id]


def test_verify_link_for_join(alice: Account, server: RunningServer) -> None:
    album = create_album(alice)
    token = token_of(share_url(alice, album)["url"])
    settings = server.settings

    def check(access_token: str | None, password_jwt: str | None = None) -> int:
        with db_session(server) as session:
            try:
                service.verify_link_for_join(
                    session,
                    settings=settings,
                    collection_id=album.id,
                    access_token=access_token,
                    password_jwt=password_jwt,
                )
            except ApiError as exc:
                return exc.status
        return 200

    assert check(token) == 200
    assert check("WRONGTOKEN") == 403 and check(None) == 403
    update_link(alice, album, enableJoin=False)
    assert check(token) == 400
    update_link(alice, album, enableJoin=True, enableDownload=False)
    assert check(token) == 400
    update_link(alice, album, enableDownload=True)

    password = LinkPassword("join us")
    update_link(alice, album, **password.update_fields())
    assert check(token) == 401 and check(token, "not-a-jwt") == 401
    visitor = Visitor(server.url, token)
    assert visitor.unlock(password).status_code == 200
    assert check(token, visitor.jwt) == 200

    alice.client.delete(f"/collections/share-url/{album.id}")
    assert check(token, visitor.jwt) == 404


def test_disabling_an_owners_links(alice: Account, server: RunningServer) -> None:
    """What collection and account deletion call."""
    first, second = create_album(alice), create_album(alice)
    visitors = [Visitor(server.url, token_of(share_url(alice, a)["url"])) for a in (first, second)]
    with db_session(server) as session:
        service.disable_collection_links(session, collection_ids=[first.id])
    assert [v.info().status_code for v in visitors] == [410, 200]
    assert alice.client.user_id is not None
    with db_session(server) as session:
        service.disable_owner_links(session, owner_id=alice.client.user_id)
    assert [v.info().status_code for v in visitors] == [410, 410]


@pytest.mark.parametrize("limit", [0, 5, 50])
def test_effective_device_limits(limit: int) -> None:
    assert effective_limit(limit) == {0: 0, 5: 5, 50: 500}[limit]
