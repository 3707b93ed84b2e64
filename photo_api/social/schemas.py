"""Wire shapes of comments, reactions and anonymous profiles, as museum serves them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import StringConstraints

from photo_api.models import AnonUser, Comment, Reaction
from photo_api.wire import B64, Int64, WireModel

# museum stores anonymous authors as user -1.
ANON_USER_ID = -1
# museum's bound on a logged-in comment's cipher (base64 characters).
MAX_COMMENT_CIPHER = 20 * 1024
# A secretbox nonce is 24 bytes (32 base64 characters); a little slack, no more.
MAX_NONCE = 64


Cipher = Annotated[B64, StringConstraints(max_length=MAX_COMMENT_CIPHER)]
Nonce = Annotated[B64, StringConstraints(max_length=MAX_NONCE)]
# "cmt_…", "rct_…", "anon_…": a prefix and 21 nanoid characters.
SocialId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
# Empty counts as absent, as museum reads it.
AnonId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{0,32}$")]
# Tokens are JWTs; anything longer than this is not one of ours.
AnonToken = Annotated[str, StringConstraints(max_length=1024)]


class CreateCommentRequest(WireModel):
    collectionID: Int64
    fileID: Int64 | None = None
    parentCommentID: SocialId | None = None
    cipher: Cipher
    nonce: Nonce
    id: SocialId | None = None


class UpdateCommentRequest(WireModel):
    cipher: Cipher
    nonce: Nonce


class UpsertReactionRequest(WireModel):
    collectionID: Int64
    fileID: Int64 | None = None
    commentID: SocialId | None = None
    cipher: Cipher
    nonce: Nonce
    id: SocialId | None = None


class AnonCredentials(WireModel):
    anonUserID: AnonId | None = None
    anonToken: AnonToken = ""


class PublicCommentRequest(AnonCredentials):
    fileID: Int64 | None = None
    parentCommentID: SocialId | None = None
    cipher: Cipher
    nonce: Nonce
    id: SocialId | None = None


class PublicCommentUpdate(AnonCredentials):
    cipher: Cipher
    nonce: Nonce


class PublicReactionRequest(AnonCredentials):
    fileID: Int64 | None = None
    commentID: SocialId | None = None
    cipher: Cipher
    nonce: Nonce
    id: SocialId | None = None


class AnonIdentityRequest(WireModel):
    cipher: Cipher
    nonce: Nonce


def _author(row: Comment | Reaction, out: dict[str, Any]) -> None:
    out["userID"] = row.user_id if row.user_id is not None else ANON_USER_ID
    if row.anon_user_id is not None:
        out["anonUserID"] = row.anon_user_id


def _payload(row: Comment | Reaction, out: dict[str, Any]) -> None:
    # A tombstone keeps its place in the diff, but not what was said.
    if not row.is_deleted:
        out["cipher"], out["nonce"] = row.cipher, row.nonce
    out["isDeleted"] = row.is_deleted
    out["createdAt"], out["updatedAt"] = row.created_at, row.updated_at


def comment_out(row: Comment) -> dict[str, Any]:
    """museum's Comment: absent fields rather than nulls for what a comment lacks."""
    out: dict[str, Any] = {"id": row.id, "collectionID": row.collection_id}
    if row.file_id is not None:
        out["fileID"] = row.file_id
    if row.parent_comment_id is not None:
        out["parentCommentID"] = row.parent_comment_id
    _author(row, out)
    _payload(row, out)
    return out


def reaction_out(row: Reaction) -> dict[str, Any]:
    out: dict[str, Any] = {"id": row.id, "collectionID": row.collection_id}
    if row.file_id is not None:
        out["fileID"] = row.file_id
    if row.comment_id is not None:
        out["commentID"] = row.comment_id
    _author(row, out)
    _payload(row, out)
    return out


def anon_profile_out(row: AnonUser) -> dict[str, Any]:
    return {
        "anonUserID": row.id,
        "collectionID": row.collection_id,
        "cipher": row.cipher,
        "nonce": row.nonce,
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
    }


def masked_email(email: str) -> str:
    """museum's public mask: two characters of the name, the first and last of the domain."""
    email = email.strip()
    at = email.rfind("@")
    if at <= 0 or at == len(email) - 1:
        return "[invalid_email]"
    name, domain = email[:at], email[at + 1 :]
    if len(name) > 2:
        name = name[:2] + "*" * (len(name) - 2)
    if len(domain) > 2:
        domain = domain[0] + "*" * (len(domain) - 2) + domain[-1]
    return f"{name}@{domain}"
