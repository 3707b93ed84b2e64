"""Authentication as typed dependencies: CurrentUser, AdminUser, rate limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import BackgroundTasks, Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from photo_api.auth import repo
from photo_api.auth.apps import App, app_from_package
from photo_api.auth.tokens import token_hash
from photo_api.auth.usage import TokenUsage, TokenUse
from photo_api.clock import MICROS_PER_DAY, MICROS_PER_SECOND, now_us
from photo_api.config import Settings
from photo_api.db.session import Database
from photo_api.errors import MiddlewareError
from photo_api.mail import Outbox
from photo_api.storage.registry import Stores

# museum refuses a token unused for a year.
TOKEN_IDLE_LIMIT_US = 365 * MICROS_PER_DAY
# A token's last use is recorded when the stored one is older than this (see auth/usage.py).
TOUCH_INTERVAL_US = 60 * MICROS_PER_SECOND


@dataclass(frozen=True, slots=True)
class Caller:
    user_id: int
    token_id: int
    token_created_at: int
    app: App


@dataclass(frozen=True, slots=True)
class Device:
    """Where a request comes from; recorded with the sessions it creates."""

    app: App
    ip: str
    user_agent: str | None


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def request_app(request: Request) -> App:
    return app_from_package(request.headers.get("x-client-package"))


def presented_token(request: Request) -> str | None:
    return request.headers.get("x-auth-token") or request.query_params.get("token")


def _caller_row(db: Database, token: str, app: App) -> repo.CallerRow | None:
    with db.session(write=False) as session:
        return repo.caller_row(session, token_hash=token_hash(token), app=app)


def _admit(request: Request, row: repo.CallerRow | None, app: App) -> Caller:
    if row is None or row.user_deleted_at is not None:
        raise MiddlewareError(401, "invalid token")
    now = now_us()
    if row.last_used_at < now - TOKEN_IDLE_LIMIT_US:
        raise MiddlewareError(401, "token expired")
    if now - row.last_used_at > TOUCH_INTERVAL_US:
        usage: TokenUsage = request.app.state.token_usage
        use = TokenUse(at=now, ip=client_ip(request), user_agent=request.headers.get("user-agent"))
        usage.record(row.id, use)
    return Caller(user_id=row.user_id, token_id=row.id, token_created_at=row.created_at, app=app)


def _token(request: Request) -> str:
    token = presented_token(request)
    if not token:
        raise MiddlewareError(401, "missing token")
    return token


async def current_caller(request: Request) -> Caller:
    """The session a request presents, looked up in a short read transaction of its own: the
    request's transaction, which may write, has not begun and holds no lock yet."""
    token, app = _token(request), request_app(request)
    db: Database = request.app.state.db
    async with db.reads.slot():
        row = await run_in_threadpool(_caller_row, db, token, app)
    return _admit(request, row, app)


def caller_in(session: Session, request: Request) -> Caller:
    """The same, in the request's own transaction: for routes that learn only in the handler
    whether a user's token or another credential (e.g. an anonymous identity) is presented."""
    token, app = _token(request), request_app(request)
    return _admit(request, repo.caller_row(session, token_hash=token_hash(token), app=app), app)


async def storage_caller(caller: Annotated[Caller, Depends(current_caller)]) -> Caller:
    """Photo-library routes, which museum refuses to the Auth app."""
    if caller.app == "auth":
        raise MiddlewareError(403, "invalid app for endpoint")
    return caller


async def device(request: Request) -> Device:
    return Device(
        app=request_app(request),
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
    )


async def settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def stores_of(request: Request) -> Stores:
    return request.app.state.stores  # type: ignore[no-any-return]


async def outbox(request: Request, background: BackgroundTasks) -> Outbox:
    return Outbox(request.app.state.settings.smtp, background)


CurrentUser = Annotated[Caller, Depends(current_caller)]
DeviceDep = Annotated[Device, Depends(device)]
SettingsDep = Annotated[Settings, Depends(settings)]
OutboxDep = Annotated[Outbox, Depends(outbox)]
StorageUser = Annotated[Caller, Depends(storage_caller)]


class RateLimit:
    """A fixed-window limit per client IP (public routes) or per user, counted in the database.

    Counted in its own short transaction before the request's, so that a refused or failed
    request still counts and several server processes share one count.
    """

    def __init__(self, name: str, *, limit: int, window_seconds: int = 60, per: str = "ip"):
        self.name = name
        self.limit = limit
        self.window_us = window_seconds * MICROS_PER_SECOND
        self.per = per

    def __call__(self, request: Request) -> None:
        subject = (presented_token(request) or "") if self.per == "user" else client_ip(request)
        if self.per == "user":
            subject = token_hash(subject).hex()[:32]
        window_start = now_us() // self.window_us * self.window_us
        db: Database = request.app.state.db
        with db.side_write() as side:
            count = repo.hit_counter(
                side, key=f"{self.name}:{self.per}:{subject}", window_start=window_start
            )
        if count > self.limit:
            raise MiddlewareError(429, "Rate limit breached, try later")
