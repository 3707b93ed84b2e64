"""museum's HTTP conventions, once for every route: JSON bodies, CORS, errors, limits."""

from __future__ import annotations

from tests.fixtures.app_server import RunningServer
from tests.fixtures.net import http

ORIGIN = "http://localhost:3000"


def test_json_body_sent_as_text_plain_is_parsed(server: RunningServer) -> None:
    response = server.client.post(
        "/users/ott",
        content=b'{"email": "plain-text@example.org", "purpose": "signup"}',
        headers={"Content-Type": "text/plain;charset=UTF-8"},
    )
    assert response.status_code == 200, response.text


def test_invalid_json_is_a_400_with_a_json_body(server: RunningServer) -> None:
    response = server.client.post(
        "/users/ott", content=b"{not json", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "BAD_REQUEST"


def test_missing_field_is_a_400_naming_it(server: RunningServer) -> None:
    response = server.client.post("/users/ott", json={"purpose": "signup"})
    assert response.status_code == 400
    assert "email" in response.json()["message"]


def test_preflight_is_answered_200_with_museums_cors_headers(server: RunningServer) -> None:
    response = server.client.options(
        "/users/ott",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-auth-token,x-client-package",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.headers["access-control-allow-credentials"] == "true"
    allowed = {
        h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")
    }
    assert {
        "x-auth-token",
        "x-client-package",
        "x-client-version",
        "x-auth-access-token",
        "x-auth-access-token-jwt",
        "x-auth-link-device-token",
        "x-request-id",
        "content-type",
        "content-md5",
    } <= allowed
    exposed = {h.strip() for h in response.headers["access-control-expose-headers"].split(",")}
    assert {"X-Request-Id", "X-Ente-Link-Device-Token"} <= exposed


def test_every_response_carries_cors_and_a_request_id(server: RunningServer) -> None:
    response = server.client.get("/no/such/route", headers={"Origin": ORIGIN})
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.headers["x-request-id"].startswith("ser_")


def test_request_id_is_reused(server: RunningServer) -> None:
    response = server.client.get("/ping", headers={"X-Request-Id": "req-123"})
    assert response.headers["x-request-id"] == "req-123"


def test_gets_are_not_cached(server: RunningServer) -> None:
    assert server.client.get("/ping").headers["cache-control"] == "no-store"


def test_oversized_body_is_refused_with_413(server: RunningServer) -> None:
    big = b'{"email": "' + b"a" * (server.settings.max_body_bytes + 1) + b'"}'
    response = server.client.post("/users/ott", content=big)
    assert response.status_code == 413
    assert response.json()["code"] == "REQUEST_TOO_LARGE"


def test_oversized_chunked_body_is_refused_with_413(server: RunningServer) -> None:
    def chunks():
        yield b'{"email": "'
        for _ in range(server.settings.max_body_bytes // 65536 + 2):
            yield b"a" * 65536
        yield b'"}'

    response = http.post(f"{server.url}/users/ott", content=chunks())
    assert response.status_code == 413


def test_ping(server: RunningServer) -> None:
    assert server.client.get("/ping").json() == {"id": server.settings.build_id, "message": "pong"}


def test_version(server: RunningServer) -> None:
    body = server.client.get("/version").json()
    assert set(body) == {"version", "build"}


def test_healthz_reports_every_dependency(server: RunningServer) -> None:
    response = server.client.get("/healthz")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "status": "ok",
        "services": {
            "database": "ok",
            "storage": {name: "ok" for name in server.settings.storage.backends},
            "smtp": "ok",
        },
    }
