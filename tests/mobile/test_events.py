"""POST /events and /events/user: install attribution from the Android app, acknowledged."""

from __future__ import annotations

import uuid
from typing import Any

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient


def install(**overrides: Any) -> dict[str, Any]:
    # What the Play-store flavour sends once per install, with the referrer's parameters.
    return {
        "id": str(uuid.uuid4()),
        "event": "install",
        "data": {"utm_source": "ente.com", "utm_medium": "landing"},
        "app": "photos",
        "platform": "android",
        **overrides,
    }


def test_install_event_is_accepted_without_an_account(server: RunningServer) -> None:
    visitor = EnteClient(server.url, package="io.ente.photos")
    event = install()
    response = visitor.post("/events", json=event)
    assert (response.status_code, response.content) == (200, b"")
    # A repeat (the app retries until it sees a 2xx) is as good as the first.
    assert visitor.post("/events", json=event).status_code == 200
    # Go's uuid.Parse forms: braces, urn prefix, no dashes.
    for form in ("{%s}", "urn:uuid:%s"):
        assert visitor.post("/events", json=install(id=form % uuid.uuid4())).status_code == 200
    assert visitor.post("/events", json=install(id=uuid.uuid4().hex, data={})).status_code == 200


def test_user_events_after_sign_up_and_log_in(account: Account) -> None:
    event_id = str(uuid.uuid4())
    for name in ("sign_up", "log_in"):
        body = {"id": event_id, "event": name, "data": {}, "app": "photos", "platform": "android"}
        response = account.client.post("/events/user", json=body)
        assert (response.status_code, response.content) == (200, b"")


def test_bad_events_are_400(server: RunningServer, account: Account) -> None:
    visitor = EnteClient(server.url)
    for bad in (
        install(id="not-a-uuid"),
        install(event="sign_up"),
        install(event=""),
        install(app=""),
        install(platform=""),
        install(data=None),
        install(data=["a"]),
        {k: v for k, v in install().items() if k != "data"},
    ):
        response = visitor.post("/events", json=bad)
        assert response.status_code == 400, (bad, response.text)
        assert response.json()["code"] == "BAD_REQUEST"
    wrong = account.client.post("/events/user", json=install())
    assert wrong.status_code == 400 and "event" in wrong.json()["message"]


def test_install_events_are_limited_per_address(server: RunningServer) -> None:
    visitor = EnteClient(server.url)
    # 21 requests span at most two one-minute windows, so one of them sees an eleventh.
    answers = [visitor.post("/events", json=install()).status_code for _ in range(21)]
    assert answers[:10] == [200] * 10 and 429 in answers
    assert set(answers) == {200, 429}
    # Another address is not affected.
    assert EnteClient(server.url).post("/events", json=install()).status_code == 200
