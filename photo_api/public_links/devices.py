"""Device limits of public links: which browsers a link admits, as museum counts them.

A device is an (IP, user agent) pair; browsers also get a signed device token so that a
changing IP does not make them a new device. Album and file links share the bookkeeping.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from photo_api.clock import now_us
from photo_api.config import Settings
from photo_api.db.session import Database
from photo_api.errors import ApiError
from photo_api.public_links import credentials, repo
from photo_api.public_links.credentials import LinkScope

# museum's largest selectable limit stands for ten times as many devices.
LARGEST_CHOICE = 50
LARGEST_CHOICE_MEANS = 500


@dataclass(frozen=True, slots=True)
class Visitor:
    ip: str
    user_agent: str


@dataclass(frozen=True, slots=True)
class LinkSubject:
    """The link a device asks to be admitted to."""

    scope: LinkScope
    link_id: str
    access_token: str
    valid_till: int
    device_limit: int


def limit_exceeded() -> ApiError:
    return ApiError(403, "LINK_DEVICE_LIMIT_EXCEEDED", "Public link device limit reached")


def device_hash(visitor: Visitor) -> str:
    """What identifies a device without keeping its address."""
    return hashlib.sha256(f"{visitor.ip}\x00{visitor.user_agent}".encode()).hexdigest()


def effective_limit(device_limit: int) -> int:
    return LARGEST_CHOICE_MEANS if device_limit == LARGEST_CHOICE else device_limit


def _record(db: Database, *, subject: LinkSubject, digest: str) -> None:
    """Count a new device in its own transaction: the request's may be read-only, and a
    refused request must not undo an admission another one made meanwhile."""
    with db.side_write() as side:
        repo.lock_link_row(side, kind=subject.scope, link_id=subject.link_id)
        if repo.device_known(side, kind=subject.scope, link_id=subject.link_id, device_hash=digest):
            return
        limit = effective_limit(subject.device_limit)
        if (
            limit > 0
            and repo.device_count(side, kind=subject.scope, link_id=subject.link_id) >= limit
        ):
            raise limit_exceeded()
        repo.add_device(
            side, kind=subject.scope, link_id=subject.link_id, device_hash=digest, now=now_us()
        )


def admit(
    session: Session,
    *,
    db: Database,
    settings: Settings,
    subject: LinkSubject,
    visitor: Visitor,
    presented_token: str | None,
) -> str | None:
    """Admit the device or raise 403 LINK_DEVICE_LIMIT_EXCEEDED.

    Returns a device token for the response when the browser should get a (new) one.
    """
    secret = settings.keys.raw("jwt_secret")

    def mint() -> str:
        return credentials.device_token(
            secret=secret,
            scope=subject.scope,
            link_id=subject.link_id,
            access_token=subject.access_token,
            valid_till=subject.valid_till,
        )

    if presented_token:
        expiry = credentials.device_token_expiry(
            presented_token,
            secret=secret,
            scope=subject.scope,
            link_id=subject.link_id,
            access_token=subject.access_token,
        )
        if expiry is not None:
            return mint() if expiry - now_us() < credentials.DEVICE_TOKEN_REFRESH_US else None
    digest = device_hash(visitor)
    if not repo.device_known(
        session, kind=subject.scope, link_id=subject.link_id, device_hash=digest
    ):
        _record(db, subject=subject, digest=digest)
    return mint()
