"""Every /admin route (and /metrics, the admin /storage views) refuses all but live admins."""

from __future__ import annotations

import re

from fastapi.routing import iter_route_contexts

from tests.admin.conftest import email_login
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient, signup
from tests.fixtures.smtp import SmtpServer

# Admin-only routes outside /admin.
ADMIN_ELSEWHERE = frozenset({"/metrics", "/storage/tiers", "/storage/replication"})


def admin_routes(server: RunningServer) -> list[tuple[str, str]]:
    """Read from the app, so that a route added later is covered without editing this test."""
    found = []
    # Included routers are not flattened into app.routes (FastAPI >= 0.137): walk them.
    for route in iter_route_contexts(server.app.routes):
        path = route.path or ""
        if path.startswith("/admin") or path in ADMIN_ELSEWHERE:
            found += [(method, path) for method in sorted(route.methods or ())]
    return found


def test_admin_routes_are_found(server: RunningServer) -> None:
    routes = admin_routes(server)
    for expected in [
        ("GET", "/admin/users"),
        ("GET", "/admin/users/"),
        ("GET", "/admin/user"),
        ("GET", "/admin/user/"),
        ("PUT", "/admin/user/subscription"),
        ("DELETE", "/admin/user/delete"),
        ("GET", "/metrics"),
        ("GET", "/storage/tiers"),
        ("GET", "/storage/replication"),
    ]:
        assert expected in routes


def test_every_admin_route_refuses_non_admins(
    server: RunningServer, admin: Account, smtp_server: SmtpServer
) -> None:
    normal = signup(server.url, smtp_server.mailbox)
    revoked = email_login(server, smtp_server, admin)
    assert revoked.get("/admin/user", params={"id": normal.client.user_id}).status_code == 200
    assert revoked.post("/users/logout").status_code == 200

    callers = [
        (EnteClient(server.url), {"error": "missing token"}),
        (normal.client, {"error": "insufficient permissions"}),
        (revoked, {"error": "invalid token"}),
    ]
    for method, path in admin_routes(server):
        url = re.sub(r"\{[^}]+\}", "1", path)
        for client, error in callers:
            answer = client.request(method, url, json={})
            assert answer.status_code == 401, (method, path, answer.text)
            if method != "HEAD":
                assert answer.json() == error, (method, path)
