"""One error type, rendered in museum's JSON shapes.

Services raise ApiError; routers never build error responses themselves.
"""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = structlog.get_logger(__name__)


class ApiError(Exception):
    """An error with museum's status and code: body {"code": code, "message": message}."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str = "",
        *,
        commit: bool = False,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        # Keep the request's writes although it fails: e.g. a counted wrong attempt.
        self.commit = commit
        self.headers = headers

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


class MiddlewareError(ApiError):
    """Errors that museum's middlewares answer as {"error": text} (auth, links, rate limits)."""

    def __init__(self, status: int, error: Any, **extra: str) -> None:
        super().__init__(status, "MIDDLEWARE", str(error))
        self.error = error
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": self.error, **self.extra}


def bad_request(message: str = "BAD_REQUEST") -> ApiError:
    return ApiError(400, "BAD_REQUEST", message)


def unauthorized(message: str = "") -> ApiError:
    return ApiError(401, "UNAUTHORIZED", message)


def payment_required(message: str = "no active subscription") -> ApiError:
    return ApiError(402, "NO_ACTIVE_SUBSCRIPTION", message)


def forbidden(message: str = "") -> ApiError:
    return ApiError(403, "PERMISSION_DENIED", message)


def not_found(message: str = "") -> ApiError:
    return ApiError(404, "NOT_FOUND", message)


def conflict(message: str = "") -> ApiError:
    return ApiError(409, "CONFLICT", message)


def gone(message: str = "") -> ApiError:
    return ApiError(410, "GONE", message)


def too_large(message: str = "") -> ApiError:
    return ApiError(413, "TOO_LARGE", message)


def quota_exceeded(message: str = "storage limit exceeded") -> ApiError:
    return ApiError(426, "STORAGE_LIMIT_EXCEEDED", message)


def too_many_requests(message: str = "") -> ApiError:
    return ApiError(429, "TOO_MANY_REQUESTS", message)


def service_unavailable(retry_after_seconds: int) -> ApiError:
    return ApiError(
        503,
        "SERVICE_UNAVAILABLE",
        "the server is busy; try again shortly",
        headers={"Retry-After": str(retry_after_seconds)},
    )


def _describe(errors: list[Any]) -> str:
    parts = []
    for err in errors[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else err.get("msg", ""))
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            {"code": "BAD_REQUEST", "message": _describe(list(exc.errors()))}, status_code=400
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "REQUEST_TOO_LARGE"}
        return JSONResponse(
            {"code": codes.get(exc.status_code, "HTTP_ERROR"), "message": str(exc.detail)},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    # The last line of defence for numbers past int64 (and, on PostgreSQL, strings past a
    # column's length) that a route's validation let through: the input is at fault.
    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def _out_of_range(_: Request, exc: Exception) -> JSONResponse:
        log.warning("value out of range", error=str(exc).splitlines()[0])
        return JSONResponse(
            {"code": "BAD_REQUEST", "message": "a value is out of range"}, status_code=400
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse({"code": "INTERNAL_ERROR", "message": ""}, status_code=500)
