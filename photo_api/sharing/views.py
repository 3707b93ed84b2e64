"""How collections look to their owner and to the users they are shared with."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from photo_api.collections.schemas import collection_out
from photo_api.config import Settings
from photo_api.files.schemas import magic_out
from photo_api.models import Collection, CollectionShare, User
from photo_api.public_links.service import public_urls
from photo_api.sharing import repo


def sharee_out(share: CollectionShare, user: User) -> dict[str, Any]:
    return {"id": user.id, "email": user.email or "", "name": "", "role": share.role}


def sharees_of(session: Session, collection_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    return {
        cid: [sharee_out(s, u) for s, u in rows]
        for cid, rows in repo.sharees(session, collection_ids).items()
    }


def owned_out(
    session: Session, *, settings: Settings, collections: Sequence[Collection]
) -> list[dict[str, Any]]:
    ids = [c.id for c in collections]
    sharees = sharees_of(session, ids)
    links = public_urls(session, settings=settings, collection_ids=ids, owner_view=True)
    return [collection_out(c, sharees=sharees[c.id], public_urls=links[c.id]) for c in collections]


def shared_out(
    session: Session,
    *,
    share: CollectionShare,
    collection: Collection,
    owner: User,
    sharees: list[dict[str, Any]] | None,
    links: list[dict[str, Any]],
) -> dict[str, Any]:
    """A collection shared with the caller: the key sealed to them, the owner's private
    settings left out, and their own per-share settings in sharedMagicMetadata."""
    gone = share.is_deleted or collection.is_deleted
    out = collection_out(
        collection,
        sharees=[] if gone else sharees,
        public_urls=[] if gone else links,
        owner_email="" if gone else (owner.email or ""),
    )
    out["encryptedKey"] = share.encrypted_key
    out.pop("keyDecryptionNonce", None)
    out.pop("magicMetadata", None)
    out["attributes"] = {"version": 0}
    out["sharedAt"] = share.shared_at
    out["updationTime"] = max(collection.updation_time, share.updation_time)
    if gone:
        out["isDeleted"] = True
    if shared_magic := magic_out(share.magic_metadata):
        out["sharedMagicMetadata"] = shared_magic
    return out


def shared_with_out(
    session: Session, *, settings: Settings, user_id: int, app: str, since: int
) -> list[dict[str, Any]]:
    rows = repo.shared_with(session, user_id=user_id, app=app, since=since)
    ids = [collection.id for _, collection, _ in rows]
    sharees = sharees_of(session, ids)
    links = public_urls(
        session,
        settings=settings,
        collection_ids=ids,
        owner_view=False,
        roles={s.collection_id: s.role for s, _, _ in rows},
    )
    return [
        shared_out(
            session, share=s, collection=c, owner=o, sharees=sharees[c.id], links=links[c.id]
        )
        for s, c, o in rows
    ]
