"""Registering a route at both slash forms, for the paths Ente clients call with a trailing /.

museum's router answers the other form with a redirect, and the clients came to rely on it
(`GET /billing/user-plans/` from the mobile app, `GET /admin/user/` from the `ente` CLI).
Serving both forms directly spares the round trip and never builds a Location behind a proxy:
the app redirects no slashed path (photo_api.main), so a path missing here answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
RouteDecorator = Callable[..., Callable[[Endpoint], Endpoint]]


def with_slash_twin(
    route: RouteDecorator[Endpoint], path: str, **options: Any
) -> Callable[[Endpoint], Endpoint]:
    """`route(path)` plus the same endpoint at `path + "/"`, kept out of the OpenAPI description.

    Use as `@with_slash_twin(router.get, "/billing/user-plans")`.
    """

    def register(endpoint: Endpoint) -> Endpoint:
        registered = route(path, **options)(endpoint)
        route(path + "/", **{**options, "include_in_schema": False})(endpoint)
        return registered

    return register
