"""Numbers past int64 anywhere a route takes a number get a JSON answer, never a 500.

SQLite refuses to bind such an integer and PostgreSQL's bigint columns cannot hold one, so a
route that let one through would fail inside the database. Every route and every integer
input of its OpenAPI description is tried: path, query and body fields.
"""

from __future__ import annotations

import re
from typing import Any

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import signup
from tests.fixtures.smtp import SmtpServer
from tests.security.test_route_auth import PUBLIC_PREFIXES

HUGE = 2**64
# Routes that end the caller's session or account whatever their input.
SKIP = {"/users/logout", "/users/delete", "/users/sessions/current"}


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [_resolve(spec, s) for s in schema[key] if s.get("type") != "null"]
            return options[0] if options else {}
    return schema


def _sample(spec: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> Any:
    """A value of the schema's shape with every integer past int64."""
    schema = _resolve(spec, schema)
    kind = schema.get("type")
    if kind == "integer":
        return HUGE
    if kind == "array" and depth < 4:
        return [_sample(spec, schema.get("items", {}), depth + 1)]
    if kind == "object" or "properties" in schema:
        return {
            name: _sample(spec, prop, depth + 1)
            for name, prop in schema.get("properties", {}).items()
        }
    if kind == "boolean":
        return True
    if kind == "number":
        return 1.5
    if "enum" in schema:
        return schema["enum"][0]
    return "AAAA"


def _has_integer(spec: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> bool:
    schema = _resolve(spec, schema)
    if schema.get("type") == "integer":
        return True
    if depth >= 4:
        return False
    children = [schema.get("items", {}), *schema.get("properties", {}).values()]
    return any(_has_integer(spec, child, depth + 1) for child in children if child)


def test_numbers_past_int64_are_refused_everywhere(
    server: RunningServer, smtp_server: SmtpServer
) -> None:
    account = signup(server.url, smtp_server.mailbox)
    spec = server.app.openapi()
    tried = 0
    for path, operations in spec["paths"].items():
        if path in SKIP or path.startswith(PUBLIC_PREFIXES[0]):
            continue
        for method, operation in operations.items():
            params = operation.get("parameters", [])
            ints = [p for p in params if _has_integer(spec, p.get("schema", {}))]
            body_schema = (
                operation.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema")
            )
            body = _sample(spec, body_schema) if body_schema else None
            if not ints and not (body_schema and _has_integer(spec, body_schema)):
                continue
            concrete = re.sub(r"\{[^}]+\}", str(HUGE), path)
            query = {p["name"]: HUGE for p in ints if p["in"] == "query"}
            response = account.client.request(method.upper(), concrete, params=query, json=body)
            # A 2xx only where museum clamps the number (the count of upload URLs).
            assert response.status_code < 500, (method, path, response.text)
            assert response.headers["content-type"].startswith("application/json"), (method, path)
            tried += 1
    assert tried > 40
