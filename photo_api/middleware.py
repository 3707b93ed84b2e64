"""ASGI middlewares for the conventions museum applies to every request.

Pure ASGI (not BaseHTTPMiddleware) so that large object uploads stream through untouched.
"""

from __future__ import annotations

import json
import re
import secrets
import string
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import structlog
from fastapi import HTTPException

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = structlog.get_logger("photo_api.access")

ALLOW_HEADERS = (
    "Content-Type, Content-Length, Accept-Encoding, X-CSRF-Token, X-Auth-Token, "
    "X-Auth-Access-Token, X-Cast-Access-Token, X-Auth-Access-Token-JWT, X-Auth-Link-Device-Token, "
    "X-Client-Package, X-Client-Version, X-Paste-Consume, X-Request-Id, Content-MD5, "
    "Authorization, accept, origin, Cache-Control, X-Requested-With, "
    "upgrade-insecure-requests, Range"
)
CORS_HEADERS = [
    (b"access-control-allow-credentials", b"true"),
    (b"access-control-allow-headers", ALLOW_HEADERS.encode()),
    (b"access-control-allow-methods", b"POST, OPTIONS, GET, PUT, PATCH, DELETE, HEAD"),
    (b"access-control-expose-headers", b"X-Request-Id, X-Ente-Link-Device-Token, ETag"),
    (b"access-control-max-age", b"1728000"),
]
# Object bytes travel on these paths; they are neither JSON nor bounded by the API body limit.
OBJECT_PATH_PREFIX = "/objects/"
# Redirects to object URLs may be cached by browsers; every other GET must not be.
CACHEABLE_GET = re.compile(
    r"^/(files|public-collection/files|public-memory/files|cast/files|file-link)/"
    r"(preview|download|thumbnail|file)\b"
)
_ID_ALPHABET = string.ascii_letters + string.digits


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


def new_request_id() -> str:
    return "ser_" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(22))


class RequestContextMiddleware:
    """Reuse or create X-Request-Id, echo it, and write one access-log line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = _header(scope, b"x-request-id")
        request_id = given.decode("latin-1")[:128] if given else new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                log.info(
                    "request",
                    method=scope["method"],
                    path=scope["path"],
                    status=status,
                    ms=round((time.perf_counter() - started) * 1000, 1),
                    client_package=(_header(scope, b"x-client-package") or b"").decode("latin-1"),
                )


class CorsMiddleware:
    """CORS exactly as museum: echo Origin with credentials; every OPTIONS answers 200."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = _header(scope, b"origin")
        cors = [(b"access-control-allow-origin", origin), *CORS_HEADERS] if origin else []
        if scope["method"] == "OPTIONS":
            # 200 rather than 204: Safari mishandles 204 preflights.
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [*cors, (b"content-length", b"0")],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        no_store = scope["method"] == "GET" and not (
            CACHEABLE_GET.match(scope["path"]) or scope["path"].startswith(OBJECT_PATH_PREFIX)
        )
        extra = [*cors, *([(b"cache-control", b"no-store")] if no_store else [])]

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start" and extra:
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_cors)


class JsonBodyMiddleware:
    """Treat API bodies as JSON whatever their Content-Type, and bound their size.

    The web client posts JSON without a Content-Type, so browsers label it text/plain.
    """

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def _too_large(self, send: Send) -> None:
        body = json.dumps(
            {
                "code": "REQUEST_TOO_LARGE",
                "message": f"request body exceeds {self.max_body_bytes} bytes",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(OBJECT_PATH_PREFIX):
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared and declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._too_large(send)
            return
        content_type = (_header(scope, b"content-type") or b"").lower()
        if b"json" not in content_type:
            scope["headers"] = [(k, v) for k, v in scope["headers"] if k != b"content-type"]
            scope["headers"].append((b"content-type", b"application/json"))

        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    # FastAPI lets an HTTPException raised while reading the body through.
                    raise HTTPException(413, f"request body exceeds {self.max_body_bytes} bytes")
            return message

        await self.app(scope, bounded_receive, send)
