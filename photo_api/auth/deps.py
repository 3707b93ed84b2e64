"""Authentication as typed dependencies: CurrentUser, AdminUser, rate limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import BackgroundTasks, Depends, Request
from sqlalchemy.orm import Session

from photo_api.auth import repo
from photo_api.auth.apps import App, app_from_package
from photo_api.auth.tokens import token_hash
from photo_api.clock import MICROS_PER_DAY, MICROS_PER_SECOND, now_us
from photo_api.config import Settings
from photo_api.db.session import READ_ONLY_METHODS, Database, SessionDep
from photo_api.errors import MiddlewareError
from photo_api.mail import Outbox
from photo_api.storage.registry import Stores
from photo_api.users import repo as users_repo

# museum refuses a token unused for a year.
TOKEN_IDLE_LIMIT_US = 365 * MICROS_PER_DAY
# Recording every use would turn each read into a write; once a minute is enough.
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
    ip: str | None
    user_agent: str | None


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def request_app(request: Request) -> App:
    return app_from_package(request.headers.get("x-client-package"))


def presented_token(request: Request) -> str | None:
    return request.headers.get("x-auth-token") or request.query_params.get("token")


def _touch(request: Request, session: Session, token_id: int, now: int) -> None:
    ip, agent = client_ip(request), request.headers.get("user-agent")
    if request.method not in READ_ONLY_METHODS:
        repo.touch_token(session, token_id=token_id, now=now, ip=ip, user_agent=agent)
        return
    # A read request's transaction must not write (SQLite); record the use on the side.
    db: Database = request.app.state.db
    with db.session() as side:
        repo.touch_token(side, token_id=token_id, now=now, ip=ip, user_agent=agent)
        side.commit()


def current_caller(request: Request, session: SessionDep) -> Caller:
    token = presented_token(request)
    if not token:
        raise MiddlewareError(401, "missing token")
    app = request_app(request)
    row = repo.active_token(session, token_hash=token_hash(token), app=app)
    if row is None:
        raise MiddlewareError(401, "invalid token")
    now = now_us()
    if row.last_used_at < now - TOKEN_IDLE_LIMIT_US:
        raise MiddlewareError(401, "token expired")
    user = users_repo.get_user(session, row.user_id)
    if user is None or user.deleted_at is not None:
        raise MiddlewareError(401, "invalid token")
    if now - row.last_used_at > TOUCH_INTERVAL_US:
        _touch(request, session, row.id, now)
    return Caller(user_id=row.user_id, token_id=row.id, token_created_at=row.created_at, app=app)


def storage_caller(caller: Annotated[Caller, Depends(current_caller)]) -> Caller:
    """Photo-library routes, which museum refuses to the Auth app."""
    if caller.app == "auth":
        raise MiddlewareError(403, "invalid app for endpoint")
    return caller


def device(request: Request) -> Device:
    return Device(
        app=request_app(request),
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
    )


def settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def stores_of(request: Request) -> Stores:
    return request.app.state.stores  # type: ignore[no-any-return]


def outbox(request: Request, background: BackgroundTasks) -> Outbox:
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
        with db.session() as side:
            count = repo.hit_counter(
                side, key=f"{self.name}:{self.per}:{subject}", window_start=window_start
            )
            side.commit()
        if count > self.limit:
            raise MiddlewareError(429, "Rate limit breached, try later")
