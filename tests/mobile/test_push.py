"""POST /push/token: the iOS app's device tokens are stored, replaced, moved and forgotten."""

from __future__ import annotations

import secrets

from sqlalchemy import select, update

from photo_api.clock import MICROS_PER_DAY, now_us
from photo_api.db.session import Database
from photo_api.jobs import expiry
from photo_api.models import PushToken
from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, signup
from tests.fixtures.smtp import SmtpServer
from tests.mobile.conftest import MOBILE_PACKAGE


def fcm_token() -> str:
    # The shape of a Firebase registration token: an instance id, a colon, a long secret.
    return f"{secrets.token_urlsafe(16)}:APA91b{secrets.token_urlsafe(100)}"


def stored(server: RunningServer, fcm: str) -> PushToken | None:
    db: Database = server.app.state.db
    with db.session() as session:
        return session.get(PushToken, fcm)


def tokens_of(server: RunningServer, user_id: int | None) -> list[str]:
    db: Database = server.app.state.db
    with db.session() as session:
        return list(
            session.scalars(select(PushToken.fcm_token).where(PushToken.user_id == user_id))
        )


def register(account: Account, fcm: str, apns: str | None) -> None:
    response = account.client.post("/push/token", json={"fcmToken": fcm, "apnsToken": apns})
    assert (response.status_code, response.json()) == (200, {}), response.text


def test_token_is_stored_then_replaced(server: RunningServer, account: Account) -> None:
    fcm, apns = fcm_token(), secrets.token_hex(32)
    register(account, fcm, apns)
    first = stored(server, fcm)
    assert first is not None
    assert (first.user_id, first.apns_token) == (account.client.user_id, apns)

    # The app uploads again when its APNs token changes (or after 30 days).
    new_apns = secrets.token_hex(32)
    register(account, fcm, new_apns)
    again = stored(server, fcm)
    assert again is not None
    assert again.apns_token == new_apns
    assert again.created_at == first.created_at and again.updated_at > first.updated_at
    # Android-style registrations carry no APNs token, absent or null.
    register(account, fcm, None)
    assert (stored(server, fcm) or first).apns_token is None
    assert account.client.post("/push/token", json={"fcmToken": fcm}).status_code == 200

    second_device = fcm_token()
    register(account, second_device, None)
    assert sorted(tokens_of(server, account.client.user_id)) == sorted([fcm, second_device])


def test_a_device_follows_the_user_who_registered_it_last(
    server: RunningServer, smtp_server: SmtpServer, account: Account
) -> None:
    fcm = fcm_token()
    register(account, fcm, None)
    other = signup(server.url, smtp_server.mailbox, package=MOBILE_PACKAGE)
    register(other, fcm, "ab" * 32)
    assert tokens_of(server, account.client.user_id) == []
    assert tokens_of(server, other.client.user_id) == [fcm]


def test_bad_registrations_are_400(account: Account) -> None:
    for body in (
        {},
        {"fcmToken": ""},
        {"fcmToken": 12},
        {"fcmToken": "x" * 513},
        {"fcmToken": "t", "apnsToken": "y" * 513},
        {"apnsToken": "abc"},
    ):
        response = account.client.post("/push/token", json=body)
        assert response.status_code == 400, (body, response.text)
        assert response.json()["code"] == "BAD_REQUEST"
    refused = account.client.post("/push/token", content=b"not json")
    assert refused.status_code == 400


def test_tokens_go_with_the_account_and_when_silent(
    server: RunningServer, smtp_server: SmtpServer, account: Account
) -> None:
    silent, fresh = fcm_token(), fcm_token()
    register(account, silent, None)
    register(account, fresh, None)
    db: Database = server.app.state.db
    with db.session() as session:
        session.execute(
            update(PushToken)
            .where(PushToken.fcm_token == silent)
            .values(updated_at=now_us() - 62 * MICROS_PER_DAY)
        )
        session.commit()
    assert expiry.run(db)["push_tokens"] >= 1
    assert tokens_of(server, account.client.user_id) == [fresh]

    keys = account.client.keys
    assert keys is not None
    challenge = account.client.get("/users/delete-challenge").json()["encryptedChallenge"]
    jwt_text = crypto.open_sealed(challenge, keys.public_key, keys.secret_key).decode()
    deleted = account.client.request("DELETE", "/users/delete", json={"challenge": jwt_text})
    assert deleted.status_code == 200, deleted.text
    assert stored(server, fresh) is None
