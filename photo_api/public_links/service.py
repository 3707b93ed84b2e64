"""Rules for an owner's album links: create, change, disable, list, and checks for joining.

Every change to a link moves its album's updationTime (museum does it by trigger), so that
the owner's other devices pick the new settings up in their collection diff.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from photo_api.clock import now_us
from photo_api.collections import repo as collections_repo
from photo_api.config import Settings
from photo_api.errors import (
    ApiError,
    bad_request,
    forbidden,
    not_found,
    payment_required,
    unauthorized,
)
from photo_api.models import Collection, PublicCollectionLink
from photo_api.public_links import credentials, repo
from photo_api.public_links.access import owner_can_share
from photo_api.public_links.schemas import CreateLinkRequest, UpdateLinkRequest, public_url_out

# museum's choices for a link: 0 (no limit) up to 50 (which stands for 500).
MAX_DEVICE_LIMIT = 50
TOKEN_ATTEMPTS = 5
ROLE_RANK = {"VIEWER": 1, "COLLABORATOR": 2, "ADMIN": 3, "OWNER": 4}
# Albums that are not really albums cannot be shared.
UNSHAREABLE_TYPES = ("uncategorized",)


def _own_collection(session: Session, *, user_id: int, collection_id: int) -> Collection:
    collection = collections_repo.get_collection(session, collection_id)
    if collection is None or collection.is_deleted:
        raise not_found("collection not found")
    if collection.owner_id != user_id:
        raise forbidden("not the owner of this collection")
    return collection


def _changed(session: Session, *, collection_id: int, now: int) -> None:
    collections_repo.bump_collections(session, collection_ids=[collection_id], now=now)


def create(
    session: Session, *, settings: Settings, user_id: int, request: CreateLinkRequest
) -> dict[str, Any]:
    """A new link with downloads on and no password, or the album's live link if it has one."""
    collection = _own_collection(session, user_id=user_id, collection_id=request.collectionID)
    if collection.type in UNSHAREABLE_TYPES:
        raise bad_request(f"a {collection.type} collection cannot be shared")
    if not owner_can_share(session, owner_id=user_id):
        raise payment_required()
    for _ in range(TOKEN_ATTEMPTS):
        existing = repo.active_link(session, collection.id)
        if existing is not None:
            return {"result": public_url_out(existing, settings=settings)}
        token = credentials.new_access_token()
        if repo.access_token_taken(session, token):
            continue
        now = now_us()
        link = PublicCollectionLink(
            collection_id=collection.id,
            access_token=token,
            is_disabled=False,
            valid_till=request.validTill,
            device_limit=request.deviceLimit,
            enable_download=True,
            enable_comment=request.enableComment,
            enable_collect=request.enableCollect,
            enable_join=True if request.enableJoin is None else request.enableJoin,
            created_at=now,
            updated_at=now,
        )
        # A concurrent create may have won the album's one live link; the loop returns it.
        if repo.insert_link(session, link):
            _changed(session, collection_id=collection.id, now=now)
            return {"result": public_url_out(link, settings=settings)}
    raise ApiError(500, "INTERNAL_ERROR", "could not find an unused access token")


def check_settings(
    *,
    device_limit: int | None,
    valid_till: int | None,
    password: tuple[object, ...],
    disable_password: bool | None,
) -> None:
    """The checks museum applies to an update of any link (album or file)."""
    if device_limit is not None and not 0 <= device_limit <= MAX_DEVICE_LIMIT:
        raise bad_request(f"device limit: {device_limit} out of range [0-{MAX_DEVICE_LIMIT}]")
    if valid_till and valid_till < now_us():
        raise bad_request("valid till should be greater than current timestamp")
    setting_password = all(value is not None for value in password)
    if not setting_password and any(value is not None for value in password):
        raise bad_request("all password params should be either present or missing")
    if setting_password and disable_password:
        raise bad_request("can not set and disable password in same request")


def _validate_update(request: UpdateLinkRequest) -> None:
    """museum's UpdatePublicAccessTokenRequest.Validate, message for message."""
    settable = (
        request.deviceLimit,
        request.validTill,
        request.disablePassword,
        request.nonce,
        request.passHash,
        request.enableDownload,
        request.enableCollect,
        request.enableComment,
        request.enableJoin,
        request.minRole,
    )
    # memLimit and opsLimit alone do not count, as in museum.
    if all(value is None for value in settable):
        raise bad_request("all parameters are missing")
    check_settings(
        device_limit=request.deviceLimit,
        valid_till=request.validTill,
        password=(request.passHash, request.nonce, request.memLimit, request.opsLimit),
        disable_password=request.disablePassword,
    )
    if request.minRole is not None and request.minRole not in ROLE_RANK:
        raise bad_request(f"invalid min role {request.minRole}")


def update(
    session: Session, *, settings: Settings, user_id: int, request: UpdateLinkRequest
) -> dict[str, Any]:
    _validate_update(request)
    collection = _own_collection(session, user_id=user_id, collection_id=request.collectionID)
    if not owner_can_share(session, owner_id=user_id):
        raise payment_required()
    link = repo.active_link(session, collection.id)
    if link is None:
        raise not_found("the collection has no active link")
    if request.validTill is not None:
        link.valid_till = request.validTill
    if request.deviceLimit is not None:
        link.device_limit = request.deviceLimit
    if request.passHash is not None and request.nonce is not None:
        # A new hash also invalidates every password JWT issued for the old one.
        link.pw_hash, link.pw_nonce = request.passHash, request.nonce
        link.mem_limit, link.ops_limit = request.memLimit, request.opsLimit
    elif request.disablePassword:
        link.pw_hash = link.pw_nonce = None
        link.mem_limit = link.ops_limit = None
    for field, value in (
        ("enable_download", request.enableDownload),
        ("enable_collect", request.enableCollect),
        ("enable_comment", request.enableComment),
        ("enable_join", request.enableJoin),
        ("min_role", request.minRole),
    ):
        if value is not None:
            setattr(link, field, value)
    now = now_us()
    link.updated_at = now
    session.flush()
    _changed(session, collection_id=collection.id, now=now)
    return {"result": public_url_out(link, settings=settings)}


def disable(session: Session, *, user_id: int, collection_id: int) -> None:
    """Turn the album's link off; its token then answers 410. Idempotent."""
    collection = collections_repo.get_collection(session, collection_id)
    if collection is None:
        raise not_found("collection not found")
    if collection.owner_id != user_id:
        raise forbidden("not the owner of this collection")
    disable_collection_links(session, collection_ids=[collection.id])


def disable_collection_links(session: Session, *, collection_ids: Sequence[int]) -> None:
    """Disable the live links of these albums (e.g. when they are deleted)."""
    now = now_us()
    changed = repo.disable_links(session, collection_ids=collection_ids, now=now)
    collections_repo.bump_collections(session, collection_ids=changed, now=now)


def disable_owner_links(session: Session, *, owner_id: int) -> None:
    """Disable the links of every album of a user (account deletion)."""
    disable_collection_links(session, collection_ids=repo.owned_collection_ids(session, owner_id))


def _role_satisfies(role: str, min_role: str | None) -> bool:
    return min_role is None or ROLE_RANK.get(role, 0) >= ROLE_RANK.get(min_role, 0)


def public_urls(
    session: Session,
    *,
    settings: Settings,
    collection_ids: list[int],
    owner_view: bool,
    roles: Mapping[int, str] | None = None,
) -> dict[int, list[dict[str, Any]]]:
    """publicURLs of each collection for a collection listing.

    Owners see every live link. Anyone else sees a link only if their role in that collection
    (`roles`, VIEWER when absent) reaches the link's minRole, as museum filters them.
    """
    out: dict[int, list[dict[str, Any]]] = {cid: [] for cid in collection_ids}
    for link in repo.active_links(session, collection_ids):
        role = (roles or {}).get(link.collection_id, "VIEWER")
        if owner_view or _role_satisfies(role, link.min_role):
            out[link.collection_id].append(public_url_out(link, settings=settings))
    return out


def verify_link_for_join(
    session: Session,
    *,
    settings: Settings,
    collection_id: int,
    access_token: str | None,
    password_jwt: str | None,
) -> PublicCollectionLink:
    """museum's checks before someone joins an album through its link.

    The caller still refuses the owner and unshareable album types (both 400) itself.
    404 no live link; 400 expired, or downloads or joining off; 403 another token; 401 a
    missing or stale password proof; 402 when the owner's plan has lapsed.
    """
    link = repo.active_link(session, collection_id)
    if link is None:
        raise not_found("the collection has no active link")
    if 0 < link.valid_till < now_us():
        raise bad_request("can not join collection: token expired")
    if not link.enable_download:
        raise bad_request("can not join collection: can not join as download is disabled")
    if not link.enable_join:
        raise bad_request("can not join collection: can not join as join is disabled")
    if not access_token or not credentials.same(access_token, link.access_token):
        raise forbidden("token doesn't match collection")
    if link.pw_hash and not (
        password_jwt
        and credentials.password_jwt_valid(
            password_jwt, secret=settings.keys.raw("jwt_secret"), pass_hash=link.pw_hash
        )
    ):
        raise unauthorized("invalid password")
    collection = collections_repo.get_collection(session, collection_id)
    if collection is None or not owner_can_share(session, owner_id=collection.owner_id):
        raise payment_required()
    return link
