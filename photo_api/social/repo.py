"""SQL for comments, reactions and anonymous identities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Exists,
    SQLColumnExpression,
    and_,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from photo_api.models import (
    AnonUser,
    Collection,
    CollectionFile,
    CollectionShare,
    Comment,
    Reaction,
    User,
)


@dataclass(frozen=True, slots=True)
class Scope:
    """What a diff asks for: an album, maybe narrowed to one file or one comment."""

    collection_id: int
    owner_id: int
    file_id: int | None = None
    comment_id: str | None = None


def insert(session: Session, row: AnonUser | Comment | Reaction) -> bool:
    """Add a row; False when its id (or a reaction's author and target) is taken."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def get_comment(session: Session, comment_id: str) -> Comment | None:
    return session.get(Comment, comment_id)


def get_reaction(session: Session, reaction_id: str) -> Reaction | None:
    return session.get(Reaction, reaction_id)


def get_anon_user(session: Session, anon_user_id: str) -> AnonUser | None:
    return session.get(AnonUser, anon_user_id)


def reaction_by_key(session: Session, *, actor_key: str, target_key: str) -> Reaction | None:
    return session.scalar(
        select(Reaction).where(Reaction.actor_key == actor_key, Reaction.target_key == target_key)
    )


def tombstone_reactions_of_comment(session: Session, *, comment_id: str, now: int) -> None:
    session.execute(
        update(Reaction)
        .where(Reaction.comment_id == comment_id, Reaction.is_deleted.is_(False))
        .values(is_deleted=True, cipher=None, nonce=None, updated_at=now)
    )


def tombstone_user_activity(
    session: Session, *, collection_id: int, user_id: int, now: int
) -> None:
    """museum's clean-up when a sharee leaves or is removed: their comments and reactions go."""
    for model in (Comment, Reaction):
        session.execute(
            update(model)
            .where(
                model.collection_id == collection_id,
                model.user_id == user_id,
                model.is_deleted.is_(False),
            )
            .values(is_deleted=True, cipher=None, nonce=None, updated_at=now)
        )


# --- what is served ---------------------------------------------------------------------------


def _file_live(
    collection_id: SQLColumnExpression[Any], file_id: SQLColumnExpression[Any]
) -> Exists:
    return exists().where(
        CollectionFile.collection_id == collection_id,
        CollectionFile.file_id == file_id,
        CollectionFile.is_deleted.is_(False),
    )


def _author_present(model: type[Comment] | type[Reaction], owner_id: int) -> ColumnElement[bool]:
    """Anonymous visitors, and users who still take part in the album with a live account;
    tombstones whoever wrote them, so that clients learn of the clean-up.

    A removed sharee's or deleted account's words stop being served even where no clean-up
    tombstoned them.
    """
    live_user = exists().where(User.id == model.user_id, User.deleted_at.is_(None))
    shared = exists().where(
        CollectionShare.collection_id == model.collection_id,
        CollectionShare.to_user_id == model.user_id,
        CollectionShare.is_deleted.is_(False),
    )
    return or_(
        model.is_deleted.is_(True),
        model.user_id.is_(None),
        and_(live_user, or_(model.user_id == owner_id, shared)),
    )


def _comment_filter(scope: Scope) -> ColumnElement[bool]:
    clauses = [
        Comment.collection_id == scope.collection_id,
        or_(Comment.file_id.is_(None), _file_live(Comment.collection_id, Comment.file_id)),
        _author_present(Comment, scope.owner_id),
    ]
    if scope.file_id is not None:
        clauses.append(Comment.file_id == scope.file_id)
    return and_(*clauses)


def _reaction_filter(scope: Scope) -> ColumnElement[bool]:
    target = aliased(Comment)
    target_live = exists().where(
        target.id == Reaction.comment_id,
        or_(target.file_id.is_(None), _file_live(target.collection_id, target.file_id)),
    )
    clauses = [
        Reaction.collection_id == scope.collection_id,
        or_(Reaction.file_id.is_(None), _file_live(Reaction.collection_id, Reaction.file_id)),
        or_(Reaction.comment_id.is_(None), target_live),
        _author_present(Reaction, scope.owner_id),
    ]
    if scope.file_id is not None:
        on_file = select(Comment.id).where(
            Comment.collection_id == scope.collection_id, Comment.file_id == scope.file_id
        )
        clauses.append(or_(Reaction.file_id == scope.file_id, Reaction.comment_id.in_(on_file)))
    if scope.comment_id is not None:
        clauses.append(Reaction.comment_id == scope.comment_id)
    return and_(*clauses)


def comment_rows(session: Session, *, scope: Scope, since: int, limit: int) -> list[Comment]:
    return list(
        session.scalars(
            select(Comment)
            .where(_comment_filter(scope), Comment.updated_at > since)
            .order_by(Comment.updated_at, Comment.id)
            .limit(limit)
        )
    )


def comments_at(session: Session, *, scope: Scope, at: int) -> list[Comment]:
    return list(
        session.scalars(
            select(Comment)
            .where(_comment_filter(scope), Comment.updated_at == at)
            .order_by(Comment.id)
        )
    )


def reaction_rows(session: Session, *, scope: Scope, since: int, limit: int) -> list[Reaction]:
    return list(
        session.scalars(
            select(Reaction)
            .where(_reaction_filter(scope), Reaction.updated_at > since)
            .order_by(Reaction.updated_at, Reaction.id)
            .limit(limit)
        )
    )


def reactions_at(session: Session, *, scope: Scope, at: int) -> list[Reaction]:
    return list(
        session.scalars(
            select(Reaction)
            .where(_reaction_filter(scope), Reaction.updated_at == at)
            .order_by(Reaction.id)
        )
    )


def anon_users(session: Session, *, collection_id: int) -> list[AnonUser]:
    return list(
        session.scalars(
            select(AnonUser)
            .where(AnonUser.collection_id == collection_id)
            .order_by(AnonUser.created_at, AnonUser.id)
        )
    )


def active_authors(session: Session, *, scope: Scope) -> list[User]:
    """Users with a live comment or reaction served in the album."""
    ids = (
        select(Comment.user_id)
        .where(_comment_filter(scope), Comment.is_deleted.is_(False))
        .union(
            select(Reaction.user_id).where(_reaction_filter(scope), Reaction.is_deleted.is_(False))
        )
    )
    return list(session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)))


# --- per album summaries ----------------------------------------------------------------------


def albums_of(session: Session, *, user_id: int, app: str) -> list[Collection]:
    """Live albums the user owns or that are shared with them."""
    shared = select(CollectionShare.collection_id).where(
        CollectionShare.to_user_id == user_id, CollectionShare.is_deleted.is_(False)
    )
    return list(
        session.scalars(
            select(Collection)
            .where(
                or_(Collection.owner_id == user_id, Collection.id.in_(shared)),
                Collection.app == app,
                Collection.is_deleted.is_(False),
            )
            .order_by(Collection.id)
        )
    )


def live_count(session: Session, model: type[Comment] | type[Reaction], *, scope: Scope) -> int:
    where = _comment_filter(scope) if model is Comment else _reaction_filter(scope)
    return int(
        session.scalar(
            select(func.count()).select_from(model).where(where, model.is_deleted.is_(False))
        )
        or 0
    )


def latest_update(
    session: Session,
    model: type[Comment] | type[Reaction] | type[AnonUser],
    *,
    collection_ids: Sequence[int],
) -> dict[int, int]:
    rows = session.execute(
        select(model.collection_id, func.max(model.updated_at))
        .where(model.collection_id.in_(collection_ids))
        .group_by(model.collection_id)
    )
    return {collection_id: at for collection_id, at in rows if at is not None}
