"""Rules for comments and reactions: who may write, on what, who may delete, what diffs show.

Authors are users taking part in the album, or anonymous visitors of one of its links
(Actor). Targets must be in the album. Deleting leaves a tombstone without the ciphertext.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from photo_api.clock import now_us
from photo_api.collections import access
from photo_api.collections import repo as collections_repo
from photo_api.errors import ApiError, bad_request, forbidden, not_found
from photo_api.models import AnonUser, Collection, Comment, Reaction
from photo_api.pagination import page
from photo_api.social import repo
from photo_api.social.repo import Scope
from photo_api.social.schemas import (
    anon_profile_out,
    comment_out,
    masked_email,
    reaction_out,
)
from photo_api.wire import b64decode

COMMENT_PREFIX, REACTION_PREFIX, ANON_PREFIX = "cmt_", "rct_", "anon_"
NANOID_ALPHABET = "_-" + string.digits + string.ascii_lowercase + string.ascii_uppercase
NANOID_LENGTH = 21
DIFF_DEFAULT_LIMIT, DIFF_MAX_LIMIT = 1000, 2000
# The web pads a reaction to 100 bytes before encrypting: 116 bytes of secretbox, base64.
REACTION_CIPHER_LENGTH = 156
SECRETBOX_MAC_BYTES = 16
# What a public visitor may write: museum's limits on the plaintext.
MAX_PUBLIC_COMMENT_BYTES = 280
MAX_ANON_NAME_BYTES = 50
MODERATORS = frozenset({"OWNER", "ADMIN"})


@dataclass(frozen=True, slots=True)
class Actor:
    """Who writes: a user, or an anonymous visitor of an album link."""

    user_id: int | None = None
    anon_user_id: str | None = None

    @property
    def key(self) -> str:
        return f"U:{self.user_id}" if self.user_id is not None else f"A:{self.anon_user_id}"

    def wrote(self, row: Comment | Reaction) -> bool:
        if self.user_id is not None:
            return row.user_id == self.user_id
        return row.anon_user_id is not None and row.anon_user_id == self.anon_user_id


def new_id(prefix: str) -> str:
    return prefix + "".join(secrets.choice(NANOID_ALPHABET) for _ in range(NANOID_LENGTH))


def _chosen_id(prefix: str, chosen: str | None) -> str:
    """Clients may pick the id (to retry safely); it must look like one of ours."""
    if chosen is None or chosen == "":
        return new_id(prefix)
    if not chosen.startswith(prefix) or len(chosen) != len(prefix) + NANOID_LENGTH:
        raise bad_request(f"id must be {prefix} and {NANOID_LENGTH} characters")
    return chosen


def _next_time(previous: int) -> int:
    # Diffs hand out rows changed after a client's last seen time: a change must move forward.
    return max(now_us(), previous + 1)


def diff_limit(limit: int | None) -> int:
    if limit is None:
        return DIFF_DEFAULT_LIMIT
    if limit <= 0:
        raise bad_request("limit must be positive")
    return min(limit, DIFF_MAX_LIMIT)


# --- albums -----------------------------------------------------------------------------------


def _live(collection: Collection | None) -> Collection:
    if collection is None or collection.is_deleted:
        raise not_found("collection not found")
    return collection


def member_album(
    session: Session, *, collection_id: int, user_id: int, app: str
) -> tuple[Collection, str]:
    """A live album the user takes part in, with their role; 404 for anyone else."""
    collection, role = access.participant(
        session, collection_id=collection_id, user_id=user_id, app=app
    )
    return _live(collection), role


def link_album(session: Session, *, collection_id: int) -> Collection:
    return _live(collections_repo.get_collection(session, collection_id))


def _file_in_album(session: Session, *, collection_id: int, file_id: int) -> None:
    membership = collections_repo.membership(session, collection_id=collection_id, file_id=file_id)
    if membership is None or membership.is_deleted:
        raise not_found("file not found in this album")


def _same_file(target_file_id: int | None, requested: int | None, what: str) -> None:
    """A reply or a reaction to a comment names the comment's file, or none for an album one."""
    if target_file_id is not None and requested != target_file_id:
        raise bad_request(f"fileID must be that of the {what}")
    if target_file_id is None and requested is not None:
        raise bad_request(f"fileID must be omitted for an album-level {what}")


def _comment_in(session: Session, *, collection_id: int, comment_id: str, what: str) -> Comment:
    comment = repo.get_comment(session, comment_id)
    if comment is None:
        raise not_found(f"{what} not found")
    if comment.collection_id != collection_id:
        raise bad_request(f"{what} belongs to another album")
    if comment.is_deleted:
        raise bad_request(f"{what} is deleted")
    return comment


def public_text_fits(cipher: str, *, max_bytes: int, code: str, message: str) -> None:
    """A public visitor's words are bounded by their length, known from the secretbox's."""
    size = len(b64decode(cipher))
    if size < SECRETBOX_MAC_BYTES:
        raise bad_request("cipher is too short to be a secretbox")
    if size - SECRETBOX_MAC_BYTES > max_bytes:
        raise ApiError(400, code, message)


# --- comments ---------------------------------------------------------------------------------


def create_comment(
    session: Session,
    *,
    actor: Actor,
    collection: Collection,
    file_id: int | None,
    parent_id: str | None,
    cipher: str,
    nonce: str,
    chosen_id: str | None,
) -> dict[str, str]:
    comment_id = _chosen_id(COMMENT_PREFIX, chosen_id)
    if parent_id is not None:
        parent = _comment_in(
            session, collection_id=collection.id, comment_id=parent_id, what="parent comment"
        )
        _same_file(parent.file_id, file_id, "parent comment")
    if file_id is not None:
        _file_in_album(session, collection_id=collection.id, file_id=file_id)
    now = now_us()
    row = Comment(
        id=comment_id,
        collection_id=collection.id,
        file_id=file_id,
        parent_comment_id=parent_id,
        user_id=actor.user_id,
        anon_user_id=actor.anon_user_id,
        cipher=cipher,
        nonce=nonce,
        is_deleted=False,
        created_at=now,
        updated_at=now,
    )
    if not repo.insert(session, row):
        raise ApiError(409, "CONFLICT", "comment id already taken")
    return {"id": comment_id}


def _authored_comment(session: Session, *, actor: Actor, comment_id: str) -> Comment:
    comment = repo.get_comment(session, comment_id)
    if comment is None or comment.is_deleted:
        raise not_found("comment not found")
    if not actor.wrote(comment):
        raise forbidden("only its author may edit a comment")
    return comment


def update_comment(
    session: Session, *, actor: Actor, comment_id: str, cipher: str, nonce: str
) -> None:
    comment = _authored_comment(session, actor=actor, comment_id=comment_id)
    comment.cipher, comment.nonce = cipher, nonce
    comment.updated_at = _next_time(comment.updated_at)
    session.flush()


def delete_comment(
    session: Session, *, actor: Actor, comment_id: str, app: str | None = None
) -> None:
    """The author deletes; so may the album's owner or admins, whoever wrote it."""
    comment = repo.get_comment(session, comment_id)
    if comment is None or comment.is_deleted:
        raise not_found("comment not found")
    if not actor.wrote(comment):
        if actor.user_id is None:
            raise forbidden("only its author may delete a comment")
        _, role = access.participant(
            session, collection_id=comment.collection_id, user_id=actor.user_id, app=app
        )
        if role not in MODERATORS:
            raise forbidden("only its author or the album's admins may delete a comment")
    now = _next_time(comment.updated_at)
    comment.cipher, comment.nonce, comment.is_deleted = None, None, True
    comment.updated_at = now
    session.flush()
    # Reactions to a deleted comment go with it, as museum's trigger does.
    repo.tombstone_reactions_of_comment(session, comment_id=comment.id, now=now)


# --- reactions --------------------------------------------------------------------------------


def upsert_reaction(
    session: Session,
    *,
    actor: Actor,
    collection: Collection,
    file_id: int | None,
    comment_id: str | None,
    cipher: str,
    nonce: str,
    chosen_id: str | None,
) -> dict[str, str]:
    """One reaction per author and target: reacting again replaces it (and revives it)."""
    if len(cipher) != REACTION_CIPHER_LENGTH:
        raise bad_request(f"a reaction's cipher is {REACTION_CIPHER_LENGTH} characters")
    reaction_id = _chosen_id(REACTION_PREFIX, chosen_id)
    if comment_id is not None:
        target = _comment_in(
            session, collection_id=collection.id, comment_id=comment_id, what="comment"
        )
        _same_file(target.file_id, file_id, "comment")
        # The file only checked the caller's context: the reaction is the comment's.
        file_id, target_key = None, f"M:{comment_id}"
    elif file_id is not None:
        _file_in_album(session, collection_id=collection.id, file_id=file_id)
        target_key = f"F:{collection.id}/{file_id}"
    else:
        target_key = f"C:{collection.id}"
    existing = repo.reaction_by_key(session, actor_key=actor.key, target_key=target_key)
    if existing is None:
        now = now_us()
        row = Reaction(
            id=reaction_id,
            collection_id=collection.id,
            file_id=file_id,
            comment_id=comment_id,
            user_id=actor.user_id,
            anon_user_id=actor.anon_user_id,
            actor_key=actor.key,
            target_key=target_key,
            cipher=cipher,
            nonce=nonce,
            is_deleted=False,
            created_at=now,
            updated_at=now,
        )
        if repo.insert(session, row):
            return {"id": reaction_id}
        # A concurrent reaction to the same target won, or the chosen id is taken.
        existing = repo.reaction_by_key(session, actor_key=actor.key, target_key=target_key)
        if existing is None:
            raise ApiError(409, "CONFLICT", "reaction id already taken")
    existing.cipher, existing.nonce, existing.is_deleted = cipher, nonce, False
    existing.updated_at = _next_time(existing.updated_at)
    session.flush()
    return {"id": existing.id}


def delete_reaction(
    session: Session, *, actor: Actor, reaction_id: str, app: str | None = None
) -> None:
    """Only its author removes a reaction; removing it twice is a no-op."""
    reaction = repo.get_reaction(session, reaction_id)
    if reaction is None:
        raise not_found("reaction not found")
    if not actor.wrote(reaction):
        raise forbidden("only its author may remove a reaction")
    if actor.user_id is not None:
        # A user who left the album cannot take back what the album shows any more.
        access.participant(
            session, collection_id=reaction.collection_id, user_id=actor.user_id, app=app
        )
    if reaction.is_deleted:
        return
    reaction.cipher, reaction.nonce, reaction.is_deleted = None, None, True
    reaction.updated_at = _next_time(reaction.updated_at)
    session.flush()


# --- reading ----------------------------------------------------------------------------------


def comment_diff(
    session: Session, *, scope: Scope, since: int, limit: int
) -> tuple[list[dict[str, Any]], bool]:
    # Unlike museum, a page never ends inside a group of rows sharing one time.
    rows, more = page(
        lambda n: repo.comment_rows(session, scope=scope, since=since, limit=n),
        lambda at: repo.comments_at(session, scope=scope, at=at),
        lambda row: row.updated_at,
        limit=limit,
    )
    return [comment_out(row) for row in rows], more


def reaction_diff(
    session: Session, *, scope: Scope, since: int, limit: int
) -> tuple[list[dict[str, Any]], bool]:
    rows, more = page(
        lambda n: repo.reaction_rows(session, scope=scope, since=since, limit=n),
        lambda at: repo.reactions_at(session, scope=scope, at=at),
        lambda row: row.updated_at,
        limit=limit,
    )
    return [reaction_out(row) for row in rows], more


def social_diff(
    session: Session, *, scope: Scope, comments_since: int, reactions_since: int, limit: int
) -> dict[str, Any]:
    comments, more_comments = comment_diff(session, scope=scope, since=comments_since, limit=limit)
    reactions, more_reactions = reaction_diff(
        session, scope=scope, since=reactions_since, limit=limit
    )
    return {
        "comments": comments,
        "reactions": reactions,
        "hasMoreComments": more_comments,
        "hasMoreReactions": more_reactions,
    }


def anon_profiles(session: Session, *, collection_id: int) -> dict[str, Any]:
    return {
        "profiles": [
            anon_profile_out(row) for row in repo.anon_users(session, collection_id=collection_id)
        ]
    }


def participants(session: Session, *, collection: Collection) -> dict[str, Any]:
    """Users whose live comments or reactions a visitor sees, with their emails masked."""
    scope = Scope(collection_id=collection.id, owner_id=collection.owner_id)
    return {
        "participants": [
            {"userID": user.id, "emailMasked": masked_email(user.email or "")}
            for user in repo.active_authors(session, scope=scope)
        ]
    }


def counts(session: Session, *, user_id: int, app: str) -> dict[str, Any]:
    """Live comments and reactions per album the user takes part in."""
    out = []
    for album in repo.albums_of(session, user_id=user_id, app=app):
        scope = Scope(collection_id=album.id, owner_id=album.owner_id)
        out.append(
            {
                "collectionID": album.id,
                "comments": repo.live_count(session, Comment, scope=scope),
                "reactions": repo.live_count(session, Reaction, scope=scope),
            }
        )
    return {"counts": out}


def latest_updates(session: Session, *, user_id: int, app: str) -> dict[str, Any]:
    """The last change to comments, reactions and anonymous profiles per album."""
    ids = [album.id for album in repo.albums_of(session, user_id=user_id, app=app)]
    fields = (
        ("commentsUpdatedAt", repo.latest_update(session, Comment, collection_ids=ids)),
        ("reactionsUpdatedAt", repo.latest_update(session, Reaction, collection_ids=ids)),
        ("anonProfilesUpdatedAt", repo.latest_update(session, AnonUser, collection_ids=ids)),
    )
    updates = []
    for collection_id in ids:
        entry: dict[str, Any] = {"collectionID": collection_id}
        for name, times in fields:
            if collection_id in times:
                entry[name] = times[collection_id]
        if len(entry) > 1:
            updates.append(entry)
    return {"updates": updates}


def remove_user_activity(session: Session, *, collection_id: int, user_id: int) -> None:
    """The hook for unshare, leave and account deletion: tombstone what the user wrote there."""
    repo.tombstone_user_activity(
        session, collection_id=collection_id, user_id=user_id, now=now_us()
    )
