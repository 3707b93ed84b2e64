"""Every route is authenticated unless it is public by design, and says so on a list here."""

from __future__ import annotations

import re

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import signup
from tests.fixtures.smtp import SmtpServer

# Public by design: health, sign-up and log-in steps, invitations, link-token routes (album,
# file and memory links: the link token is their credential), object URLs (their signature is
# the credential), a cast receiver's pairing (a TV has no account: it registers its public
# key and polls for the sealed payload by its code), and two that museum leaves public: the
# install event sent before sign-up and the file counter.
PUBLIC = {
    ("GET", "/"),
    ("GET", "/ping"),
    ("GET", "/healthz"),
    ("GET", "/version"),
    ("POST", "/users/ott"),
    ("POST", "/users/verify-email"),
    ("GET", "/users/srp/attributes"),
    ("POST", "/users/srp/create-session"),
    ("POST", "/users/srp/verify-session"),
    ("POST", "/users/two-factor/verify"),
    ("GET", "/users/two-factor/recover"),
    ("POST", "/users/two-factor/remove"),
    # The passkey step of log-in: the passkeySessionID from the log-in is their credential.
    ("POST", "/users/two-factor/passkeys/begin"),
    ("POST", "/users/two-factor/passkeys/finish"),
    ("GET", "/users/two-factor/passkeys/get-token"),
    ("POST", "/users/login"),
    ("GET", "/billing/plans/v2"),
    ("GET", "/family/invite-info/{token}"),
    ("POST", "/family/accept-invite"),
    ("POST", "/cast/device-info"),
    ("POST", "/cast/device-info/"),
    ("GET", "/cast/cast-data/{device_code}"),
    ("POST", "/events"),
    ("GET", "/files/count"),
}
# A cast device's routes: its credential is the cast token, checked by the next test.
CAST_TOKEN_ROUTES = {
    ("GET", "/cast/info"),
    ("GET", "/cast/diff"),
    ("GET", "/cast/files/preview/{file_id}"),
    ("GET", "/cast/files/download/{file_id}"),
}
PUBLIC_PREFIXES = ("/objects/", "/public-collection/", "/file-link/", "/public/", "/public-memory/")
# Opened by the accounts app's ACCOUNTS JWT, and by nothing else.
ACCOUNTS_JWT_PREFIX = "/passkeys"
# What a request without credentials gets from an authenticated route.
REFUSED = {401}


def routes(server: RunningServer) -> list[tuple[str, str]]:
    """Every (method, path) the app serves, from its OpenAPI description."""
    return [
        (method.upper(), path)
        for path, operations in server.app.openapi()["paths"].items()
        for method in operations
    ]


def is_public(method: str, path: str) -> bool:
    return (
        (method, path) in PUBLIC
        or (method, path) in CAST_TOKEN_ROUTES
        or path.startswith(PUBLIC_PREFIXES)
    )


def test_every_private_route_refuses_a_request_without_a_token(server: RunningServer) -> None:
    checked = 0
    for method, path in routes(server):
        if is_public(method, path):
            continue
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        response = server.client.request(method, concrete, json={})
        assert response.status_code in REFUSED, (method, path, response.status_code, response.text)
        assert response.json()["error"] in ("missing token", "invalid token"), (method, path)
        checked += 1
    assert checked > 60


def test_cast_device_routes_refuse_a_request_without_a_cast_token(server: RunningServer) -> None:
    for method, path in CAST_TOKEN_ROUTES:
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        for headers in ({}, {"X-Auth-Token": "A" * 43 + "="}):
            response = server.client.request(method, concrete, headers=headers)
            assert response.status_code == 401, (method, path, response.status_code)
            assert response.json() == {"error": "cast access token missing"}
        response = server.client.request(
            method, concrete, headers={"X-Cast-Access-Token": "cast_" + "A" * 22}
        )
        assert response.status_code == 401, (method, path, response.status_code)
        assert response.json() == {"error": "invalid token"}


def test_the_public_list_names_only_existing_routes(server: RunningServer) -> None:
    existing = set(routes(server))
    assert existing >= PUBLIC | CAST_TOKEN_ROUTES, (PUBLIC | CAST_TOKEN_ROUTES) - existing


def test_a_garbage_token_is_refused_everywhere(server: RunningServer) -> None:
    for method, path in routes(server):
        if is_public(method, path):
            continue
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        response = server.client.request(
            method, concrete, json={}, headers={"X-Auth-Token": "A" * 43 + "="}
        )
        assert response.status_code in REFUSED, (method, path, response.status_code)


def test_the_accounts_jwt_opens_the_passkey_routes_only(
    server: RunningServer, smtp_server: SmtpServer
) -> None:
    account = signup(server.url, smtp_server.mailbox)
    accounts_jwt = account.client.get("/users/accounts-token").json()["accountsToken"]
    checked = 0
    for method, path in routes(server):
        if is_public(method, path):
            continue
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        # Each route gets the credential it does not take.
        wrong = account.client.token if path.startswith(ACCOUNTS_JWT_PREFIX) else accounts_jwt
        response = server.client.request(
            method, concrete, json={}, headers={"X-Auth-Token": wrong or ""}
        )
        assert response.status_code in REFUSED, (method, path, response.status_code)
        checked += 1
    assert checked > 60
