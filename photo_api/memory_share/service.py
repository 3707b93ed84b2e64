"""Rules for an owner's memory links: create, list, read, delete; and their end with the
account or with time.

Stricter than museum (docs/protocol/memory-share.md §7): every file item is validated, a
link holds at most MAX_FILES_PER_LINK files and an account at most MAX_LIVE_LINKS live links,
a file must be in the creator's library (not trashed, not deleted, in an album they own or
that is shared with them), and duplicate positions are a 400, not a 500.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from photo_api.auth.tokens import token_hash
from photo_api.clock import MICROS_PER_DAY, now_us
from photo_api.config import Settings
from photo_api.errors import ApiError, bad_request, forbidden, not_found, too_many_requests
from photo_api.files import repo as files_repo
from photo_api.memory_share import repo
from photo_api.memory_share.access import TTL_US, expired
from photo_api.memory_share.schemas import CreateMemoryShareRequest, memory_share_out
from photo_api.models import MemoryShare, MemoryShareFile
from photo_api.public_links import credentials
from photo_api.public_links.service import TOKEN_ATTEMPTS

# A link lives seven days, so this is over a hundred links a day, every day.
MAX_LIVE_LINKS = 1000
# Deleted and expired links answer 410 for this long, then 401 like any unknown token.
TOMBSTONE_US = 30 * MICROS_PER_DAY


def _positions(request: CreateMemoryShareRequest) -> list[int]:
    positions = [
        index if item.position is None else item.position
        for index, item in enumerate(request.files)
    ]
    if len(set(positions)) != len(positions):
        raise bad_request("two files have the same position")
    return positions


def _check_files(session: Session, *, user_id: int, file_ids: list[int]) -> None:
    """Every file exists and is in the caller's library: their own (not in the trash), or
    in an album shared with them."""
    if len(set(file_ids)) != len(file_ids):
        raise bad_request("a file is listed twice")
    files = {f.id: f for f in files_repo.files_by_ids(session, file_ids)}
    visible = repo.visible_file_ids(session, viewer_id=user_id, file_ids=file_ids)
    for file_id in file_ids:
        file = files.get(file_id)
        if file is None or file.encrypted_metadata == repo.DELETED_METADATA:
            raise bad_request(f"file {file_id} does not exist")
        if file_id in visible:
            continue
        if file.owner_id != user_id:
            raise forbidden(f"no access to file {file_id}")
        raise bad_request(f"file {file_id} is not in any album (is it in the trash?)")


def create(
    session: Session, *, settings: Settings, user_id: int, request: CreateMemoryShareRequest
) -> dict[str, Any]:
    if bool(request.metadataCipher) != bool(request.metadataNonce):
        raise bad_request("metadataCipher and metadataNonce go together")
    positions = _positions(request)
    _check_files(session, user_id=user_id, file_ids=[item.fileID for item in request.files])
    now = now_us()
    if repo.count_live(session, user_id=user_id, created_after=now - TTL_US) >= MAX_LIVE_LINKS:
        raise too_many_requests(f"at most {MAX_LIVE_LINKS} memory links can be live at once")
    for _ in range(TOKEN_ATTEMPTS):
        token = credentials.new_access_token()
        digest = token_hash(token)
        if repo.token_taken(session, digest):
            continue
        share = MemoryShare(
            user_id=user_id,
            type=request.type or "share",
            memory_hash=request.memoryHash,
            metadata_cipher=request.metadataCipher,
            metadata_nonce=request.metadataNonce,
            encrypted_key=request.encryptedKey,
            key_decryption_nonce=request.keyDecryptionNonce,
            access_token=token,
            access_token_hash=digest,
            is_deleted=False,
            created_at=now,
            updated_at=now,
        )
        files = [
            MemoryShareFile(
                file_id=item.fileID,
                position=position,
                encrypted_key=item.encryptedKey,
                key_decryption_nonce=item.keyDecryptionNonce,
                created_at=now,
            )
            for item, position in zip(request.files, positions, strict=True)
        ]
        # A concurrent create may have taken the token between the check and the insert.
        if repo.insert(session, share, files):
            return {"memoryShare": memory_share_out(share, settings=settings)}
    raise ApiError(500, "INTERNAL_ERROR", "could not find an unused access token")


def list_links(session: Session, *, settings: Settings, user_id: int) -> dict[str, Any]:
    """The caller's links that are neither deleted nor expired, newest first."""
    shares = repo.live_shares(session, user_id=user_id, created_after=now_us() - TTL_US)
    return {"memoryShares": [memory_share_out(share, settings=settings) for share in shares]}


def get(session: Session, *, settings: Settings, user_id: int, share_id: int) -> dict[str, Any]:
    """One live link of the caller's; 403 for someone else's (checked first, as museum)."""
    share = repo.get(session, share_id)
    if share is None:
        raise not_found("memory share not found")
    if share.user_id != user_id:
        raise forbidden("not the owner of this memory share")
    if share.is_deleted or expired(share.created_at, now=now_us()):
        raise not_found("memory share not found")
    return {"memoryShare": memory_share_out(share, settings=settings)}


def delete(session: Session, *, user_id: int, share_id: int) -> None:
    """Delete one of the caller's links (expired ones too); 404 for an unknown, someone
    else's or already deleted link, as museum answers. Its file keys go at once."""
    if not repo.mark_deleted(session, share_id=share_id, user_id=user_id, now=now_us()):
        raise not_found("memory share not found")


def delete_owner_links(session: Session, *, user_id: int) -> None:
    """Every link of a user dies with the account."""
    repo.mark_user_deleted(session, user_id=user_id, now=now_us())


def purge(session: Session, *, now: int) -> int:
    """Forget the file keys of expired links, and the links themselves a while later."""
    return repo.purge(
        session, expired_before=now - TTL_US, forget_before=now - TTL_US - TOMBSTONE_US
    )
