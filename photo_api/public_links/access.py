"""Who may use an album link: museum's collection-link middleware, step by step.

Order matters, because clients act on the answer: 401 for a missing or unknown token, 410 for
a link that is disabled, whose owner cannot share, or that expired, 401 {"error": {}} for a
missing or stale password proof, 403 when the device limit is reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from photo_api.clock import now_us
from photo_api.collections import repo as collections_repo
from photo_api.config import Settings
from photo_api.db.session import Database
from photo_api.errors import MiddlewareError
from photo_api.public_links import credentials, devices, repo
from photo_api.public_links.devices import LinkSubject, Visitor
from photo_api.users import repo as users_repo

LOCALHOST_ORIGIN = "http://localhost:"


@dataclass(frozen=True, slots=True)
class Presented:
    """The credentials and origin a request to a link route carries."""

    access_token: str | None
    password_jwt: str | None
    device_token: str | None
    origin: str | None
    visitor: Visitor


@dataclass(frozen=True, slots=True)
class LinkAccess:
    """An admitted request to an album link."""

    link_id: int
    collection_id: int
    owner_id: int
    # A fresh device token for the browser; only /info hands it out, as museum does.
    device_token: str | None = None


def owner_can_share(session: Session, *, owner_id: int) -> bool:
    """The owner, or the family admin whose plan they use, has a live subscription."""
    owner = users_repo.get_user(session, owner_id)
    if owner is None or owner.deleted_at is not None:
        return False
    payer = owner.family_admin_id or owner_id
    sub = users_repo.subscription(session, payer)
    return sub is not None and sub.expiry_time >= now_us()


def origin_allowed(
    session: Session, *, settings: Settings, origin: str | None, owner_id: int
) -> bool:
    """Browsers may open links from the albums app, a local development server, or the
    owner's custom domain; anything else is someone embedding the album uninvited."""
    if not origin or origin == settings.albums_origin.rstrip("/"):
        return True
    if origin.lower().startswith(LOCALHOST_ORIGIN):
        return True
    domain = users_repo.remote_store(session, owner_id).get("customDomain")
    if not domain:
        return False
    host = (urlsplit(origin).hostname or "").lower()
    return host == domain.strip().lower().rstrip(".")


def authenticate(
    session: Session,
    *,
    db: Database,
    settings: Settings,
    presented: Presented,
    password_exempt: bool = False,
    admit_device: bool = False,
) -> LinkAccess:
    token = presented.access_token
    if not token:
        raise MiddlewareError(401, "missing accessToken", context="album_link")
    link = repo.link_by_token(session, token)
    if link is None:
        raise MiddlewareError(401, "invalid token")
    if link.is_disabled:
        raise MiddlewareError(410, "disabled token")
    collection = collections_repo.get_collection(session, link.collection_id)
    owner_id = collection.owner_id if collection else 0
    if not owner_can_share(session, owner_id=owner_id) or not origin_allowed(
        session, settings=settings, origin=presented.origin, owner_id=owner_id
    ):
        raise MiddlewareError(410, "no active subscription")
    if 0 < link.valid_till < now_us():
        raise MiddlewareError(410, "expired token")
    if (
        link.pw_hash
        and not password_exempt
        and not (
            presented.password_jwt
            and credentials.password_jwt_valid(
                presented.password_jwt,
                secret=settings.keys.raw("jwt_secret"),
                pass_hash=link.pw_hash,
            )
        )
    ):
        # museum serialises its error value here, which comes out as an empty object.
        raise MiddlewareError(401, {})
    device_token = None
    if admit_device:
        device_token = devices.admit(
            session,
            db=db,
            settings=settings,
            subject=LinkSubject(
                scope="collection",
                link_id=str(link.id),
                access_token=link.access_token,
                valid_till=link.valid_till,
                device_limit=link.device_limit,
            ),
            visitor=presented.visitor,
            presented_token=presented.device_token,
        )
    return LinkAccess(
        link_id=link.id,
        collection_id=link.collection_id,
        owner_id=owner_id,
        device_token=device_token,
    )
