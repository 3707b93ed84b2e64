"""Sessions: listing, revocation (effective at once), logout, app scoping."""

from __future__ import annotations

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient, srp_login


def test_missing_and_invalid_tokens(server: RunningServer) -> None:
    client = EnteClient(server.url)
    missing = client.get("/users/details/v2")
    assert missing.status_code == 401
    assert missing.json() == {"error": "missing token"}
    client.token = "A" * 43 + "="
    assert client.get("/users/details/v2").json() == {"error": "invalid token"}


def test_token_in_query_works(account: Account, server: RunningServer) -> None:
    client = EnteClient(server.url)
    response = client.get("/users/details/v2", params={"token": account.client.token})
    assert response.status_code == 200


def test_token_is_scoped_to_its_app(account: Account, server: RunningServer) -> None:
    auth_app = EnteClient(server.url, package="io.ente.auth.web", token=account.client.token)
    assert auth_app.get("/users/details/v2").status_code == 401


def test_sessions_list_marks_this_device(account: Account, server: RunningServer) -> None:
    other, response = srp_login(server.url, account.email, account.password)
    other.adopt(response.json(), password=account.password)
    sessions = account.client.get("/users/sessions").json()["sessions"]
    assert len(sessions) == 2
    mine = [s for s in sessions if s["token"] == account.client.token]
    assert len(mine) == 1
    assert set(mine[0]) >= {"token", "creationTime", "ip", "ua", "prettyUA", "lastUsedTime"}
    assert mine[0]["ip"] == account.client.ip
    assert mine[0]["prettyUA"].startswith("Chrome")


def test_revoked_session_is_refused_at_once(account: Account, server: RunningServer) -> None:
    other, response = srp_login(server.url, account.email, account.password)
    other.adopt(response.json(), password=account.password)
    assert other.get("/users/details/v2").status_code == 200
    sessions = account.client.get("/users/sessions").json()["sessions"]
    handle = next(s["token"] for s in sessions if s["token"] != account.client.token)
    assert account.client.delete("/users/session", params={"token": handle}).status_code == 200
    assert other.get("/users/details/v2").status_code == 401
    assert account.client.get("/users/details/v2").status_code == 200


def test_delete_session_by_raw_token(account: Account, server: RunningServer) -> None:
    other, response = srp_login(server.url, account.email, account.password)
    other.adopt(response.json(), password=account.password)
    account.client.delete("/users/session", params={"token": other.token})
    assert other.get("/users/details/v2").status_code == 401


def test_seed_session_routes(account: Account, server: RunningServer) -> None:
    devices = []
    for _ in range(2):
        device, response = srp_login(server.url, account.email, account.password)
        device.adopt(response.json(), password=account.password)
        devices.append(device)
    sessions = account.client.get("/users/sessions").json()["sessions"]
    first = next(s for s in sessions if s["token"] != account.client.token)
    assert account.client.delete(f"/users/sessions/{first['id']}").status_code == 200
    assert account.client.delete(f"/users/sessions/{first['id']}").status_code == 404
    revoked = account.client.post("/users/sessions/revoke-others").json()
    assert revoked == {"revoked": 1}
    assert all(d.get("/users/details/v2").status_code == 401 for d in devices)
    assert account.client.delete("/users/sessions/current").status_code == 200
    assert account.client.get("/users/details/v2").status_code == 401


def test_cannot_revoke_someone_elses_session(
    account: Account, server: RunningServer, smtp_server
) -> None:
    from tests.fixtures.ente import signup

    other = signup(server.url, smtp_server.mailbox)
    other_id = other.client.get("/users/sessions").json()["sessions"][0]["id"]
    assert account.client.delete(f"/users/sessions/{other_id}").status_code == 404
    account.client.delete("/users/session", params={"token": other.client.token})
    assert other.client.get("/users/details/v2").status_code == 200


def test_logout(account: Account) -> None:
    assert account.client.post("/users/logout").json() == {}
    assert account.client.get("/users/details/v2").status_code == 401
