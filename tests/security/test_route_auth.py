"""Every route is authenticated unless it is public by design, and says so on a list here."""

from __future__ import annotations

import re

from tests.fixtures.app_server import RunningServer

# Public by design: health, sign-up and log-in steps, invitations, link-token routes (the
# link token is their credential), and object URLs (their signature is the credential).
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
    ("POST", "/users/login"),
    ("GET", "/billing/plans/v2"),
    ("GET", "/family/invite-info/{token}"),
    ("POST", "/family/accept-invite"),
}
PUBLIC_PREFIXES = ("/objects/", "/public-collection/", "/file-link/", "/public/")
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
    return (method, path) in PUBLIC or path.startswith(PUBLIC_PREFIXES)


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


def test_the_public_list_names_only_existing_routes(server: RunningServer) -> None:
    existing = set(routes(server))
    assert existing >= PUBLIC, PUBLIC - existing


def test_a_garbage_token_is_refused_everywhere(server: RunningServer) -> None:
    for method, path in routes(server):
        if is_public(method, path):
            continue
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        response = server.client.request(
            method, concrete, json={}, headers={"X-Auth-Token": "A" * 43 + "="}
        )
        assert response.status_code in REFUSED, (method, path, response.status_code)
