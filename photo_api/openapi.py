"""The OpenAPI description at /openapi.json: FastAPI's, told what FastAPI cannot see.

FastAPI knows the parameters and bodies. It does not know which credential a route takes
(read from headers inside the dependencies, as museum reads them), which routes answer an
empty body, nor the errors: it would promise a 422 that never comes, since validation errors
are 400 here as in museum.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from photo_api.auth.deps import current_caller
from photo_api.cast.deps import cast_device
from photo_api.file_links.deps import FileLink
from photo_api.memory_share.deps import memory_link
from photo_api.passkeys.deps import accounts_caller
from photo_api.public_links.deps import AlbumLink
from photo_api.wire import INT64_MAX, INT64_MIN, EmptyAnswer

SECURITY_SCHEMES = {
    "authToken": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Auth-Token",
        "description": "The session token from log-in (also accepted as the `token` query "
        "parameter, for downloads that a browser follows without headers).",
    },
    "accountsToken": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Auth-Token",
        "description": "The accounts JWT from GET /users/accounts-token; nothing else opens "
        "the /passkeys routes.",
    },
    "castToken": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Cast-Access-Token",
        "description": "A cast device's token (also the `castToken` query parameter).",
    },
    "accessToken": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Auth-Access-Token",
        "description": "A public link's token (also the `accessToken` query parameter).",
    },
    "accessTokenJWT": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Auth-Access-Token-JWT",
        "description": "The proof from /verify-password, for links protected by a password "
        "(also the `accessTokenJWT` query parameter).",
    },
}
Requirement = list[dict[str, list[str]]]
_LINK: Requirement = [{"accessToken": []}]
# The password proof only where the link has a password: both, or the token alone.
_PASSWORD_LINK: Requirement = [{"accessToken": [], "accessTokenJWT": []}, {"accessToken": []}]

ERROR_SCHEMAS = {
    "Error": {
        "type": "object",
        "description": "museum's error body; `code` is stable, `message` is for people.",
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        "required": ["code", "message"],
    },
    "CredentialError": {
        "type": "object",
        "description": "The body of a refused credential or a rate limit, as museum's "
        "middlewares answer them.",
        "properties": {"error": {"type": "string"}},
        "required": ["error"],
    },
}
_ANY_ERROR = {
    "anyOf": [
        {"$ref": "#/components/schemas/Error"},
        {"$ref": "#/components/schemas/CredentialError"},
    ]
}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


ERROR_RESPONSES: dict[str, Any] = {
    "400": {
        "description": "Malformed (a field missing, of the wrong type or out of range), or "
        "breaking a rule no schema states: the message names it.",
        "content": _json({"$ref": "#/components/schemas/Error"}),
    },
    "4XX": {
        "description": "Refused; the body says why. 401 no or a wrong credential, 403 not "
        "allowed, 404 no such thing, 409 conflict, 410 gone, 413 too large, 426 over the "
        "storage quota, 429 too many attempts.",
        "content": _json(_ANY_ERROR),
    },
    "503": {
        "description": "The server is at capacity: retry after the given seconds.",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        "content": _json({"$ref": "#/components/schemas/Error"}),
    },
}
_CREDENTIAL_REFUSED = {
    "description": "No credential, or one that is wrong, expired or revoked (or a wrong "
    "second factor or code, with museum's error body).",
    "content": _json(_ANY_ERROR),
}


def _calls(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def _security(route: RouteContext) -> Requirement | None:
    for call in _calls(route.dependant):
        if call is current_caller:
            return [{"authToken": []}]
        if call is accounts_caller:
            return [{"accountsToken": []}]
        if call is cast_device:
            return [{"castToken": []}]
        if call is memory_link:
            return _LINK
        if isinstance(call, AlbumLink | FileLink):
            return _LINK if call.password_exempt else _PASSWORD_LINK
    return None


def _answers_empty(route: RouteContext) -> bool:
    hints = typing.get_type_hints(route.endpoint)
    return hints.get("return") is EmptyAnswer


def _int64(node: Any) -> None:
    """Every integer on the wire is an int64, as museum's Go types: bound those that say less
    (larger values are refused as out of range, photo_api.errors)."""
    if isinstance(node, dict):
        if node.get("type") == "integer":
            node.setdefault("format", "int64")
            # Exact integers: a bound written as a float (-9.223372036854776e18) would let a
            # generator's value round into range.
            node["minimum"] = max(math.ceil(node.get("minimum", INT64_MIN)), INT64_MIN)
            node["maximum"] = min(math.floor(node.get("maximum", INT64_MAX)), INT64_MAX)
        for value in node.values():
            _int64(value)
    elif isinstance(node, list):
        for value in node:
            _int64(value)


def describe(app: FastAPI) -> dict[str, Any]:
    spec = get_openapi(
        title=app.title,
        version=app.version,
        description="Ente's API (museum's wire protocol), served by Photo API. Requests "
        "are JSON whatever their Content-Type; unknown fields and query parameters are "
        "ignored. Types are strict, as museum's Go decoder: an integer is written 5, never "
        '5.0, "5" or true. A 400 answers a malformed request, or one that breaks a rule no '
        "schema states (a key of the wrong size, a KDF strength, an unknown id in a batch): "
        "its message names the rule.",
        routes=app.routes,
    )
    components = spec.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas.update(ERROR_SCHEMAS)
    components["securitySchemes"] = SECURITY_SCHEMES
    # Included routers are resolved lazily (FastAPI 0.165): their routes only through contexts.
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        security, empty = _security(route), _answers_empty(route)
        for method in route.methods or ():
            operation = spec["paths"][route.path_format][method.lower()]
            responses = operation["responses"]
            responses.pop("422", None)
            if empty:
                responses["200"] = {"description": "Done; the body is empty."}
            responses.update(ERROR_RESPONSES)
            if security:
                operation["security"] = security
                responses["401"] = _CREDENTIAL_REFUSED
    _int64(spec)
    return spec


def install(app: FastAPI) -> None:
    """Serve the completed description, built once on first request."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = describe(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
