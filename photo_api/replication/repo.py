"""SQL for object copies: finding work, leasing it, and recording what came of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, literal, literal_column, or_, select, update
from sqlalchemy.orm import Session

from photo_api.db import upsert
from photo_api.db.results import affected_rows
from photo_api.models import ObjectCopy, StoredObject

COMMITTED = "committed"


@dataclass(frozen=True, slots=True)
class Claim:
    """One copy leased to this process, with what is needed to work on it without the DB."""

    key: str
    backend: str
    home: str
    size: int
    reference: str | None
    state: str
    attempts: int
    lease: int
    # Backends with an "ok" copy of the object, the home first.
    sources: tuple[str, ...]


def missing_copies(session: Session, *, backends: Sequence[str], limit: int) -> list[str]:
    """Keys of committed objects lacking a copy row on one of those backends."""
    rows = (
        select(func.count())
        .where(ObjectCopy.key == StoredObject.key, ObjectCopy.backend.in_(backends))
        .scalar_subquery()
    )
    return list(
        session.scalars(
            select(StoredObject.key)
            .where(StoredObject.state == COMMITTED, rows < len(backends))
            .order_by(StoredObject.key)
            .limit(limit)
        )
    )


def add_copies(session: Session, *, backend: str, keys: Sequence[str]) -> int:
    """Rows for those objects on that backend: "ok" on the object's own backend, else
    "pending". A row another process added meanwhile is left alone."""
    if not keys:
        return 0
    rows = select(
        StoredObject.key,
        literal(backend),
        StoredObject.size,
        _state_for(backend),
        literal(0),
        literal(0),
        literal(0),
        literal(0),
    ).where(StoredObject.key.in_(keys), StoredObject.state == COMMITTED)
    statement = (
        upsert.insert(session, ObjectCopy)
        .from_select(
            [
                "key",
                "backend",
                "size",
                "state",
                "attempts",
                "next_attempt_at",
                "copy_count",
                "claimed_until",
            ],
            rows,
        )
        .on_conflict_do_nothing()
    )
    return affected_rows(session.execute(statement))


def _state_for(backend: str) -> Any:
    return case((StoredObject.backend == backend, literal("ok")), else_=literal("pending"))


def _due(*, states: Sequence[str], backends: Sequence[str], now: int) -> list[Any]:
    return [
        StoredObject.state == COMMITTED,
        ObjectCopy.backend.in_(backends),
        ObjectCopy.state.in_(states),
        ObjectCopy.claimed_until <= now,
        ObjectCopy.next_attempt_at <= now,
    ]


def reset_backoff(session: Session, *, backends: Sequence[str], states: Sequence[str]) -> None:
    """Make copies waiting after a failure due now (an operator asked for a retry)."""
    session.execute(
        update(ObjectCopy)
        .where(
            ObjectCopy.backend.in_(backends),
            ObjectCopy.state.in_(states),
            ObjectCopy.next_attempt_at > 0,
        )
        .values(next_attempt_at=0)
    )


def count_to_copy(
    session: Session,
    *,
    backends: Sequence[str],
    now: int,
    states: Sequence[str] = ("pending", "bad"),
) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(ObjectCopy)
            .join(StoredObject, StoredObject.key == ObjectCopy.key)
            .where(*_due(states=states, backends=backends, now=now))
        )
        or 0
    )


def count_to_verify(session: Session, *, backends: Sequence[str], now: int, before: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(ObjectCopy)
            .join(StoredObject, StoredObject.key == ObjectCopy.key)
            .where(*_verify_due(backends=backends, now=now, before=before))
        )
        or 0
    )


def _verify_due(*, backends: Sequence[str], now: int, before: int) -> list[Any]:
    return [
        *_due(states=("ok",), backends=backends, now=now),
        or_(ObjectCopy.verified_at.is_(None), ObjectCopy.verified_at < before),
    ]


def _claim(
    session: Session, conditions: list[Any], *, now: int, lease_until: int, limit: int
) -> list[Claim]:
    """Lease up to `limit` copies. On PostgreSQL rows another transaction is leasing are
    skipped; on SQLite the write session (BEGIN IMMEDIATE) already serializes this."""
    rows = session.execute(
        select(ObjectCopy, StoredObject.backend, StoredObject.size, StoredObject.sha256)
        .join(StoredObject, StoredObject.key == ObjectCopy.key)
        .where(*conditions)
        .order_by(ObjectCopy.next_attempt_at, ObjectCopy.key, ObjectCopy.backend)
        .limit(limit)
        .with_for_update(skip_locked=True, of=ObjectCopy)
    ).all()
    if not rows:
        return []
    keys = sorted({copy.key for copy, *_ in rows})
    good: dict[str, list[str]] = {}
    for key, backend in session.execute(
        select(ObjectCopy.key, ObjectCopy.backend).where(
            ObjectCopy.key.in_(keys), ObjectCopy.state == "ok"
        )
    ):
        good.setdefault(key, []).append(backend)
    claims = []
    for copy, home, size, reference in rows:
        copy.claimed_until = lease_until
        others = [b for b in good.get(copy.key, []) if b != copy.backend]
        sources = sorted(others, key=lambda b: (b != home, b))
        claims.append(
            Claim(
                key=copy.key,
                backend=copy.backend,
                home=home,
                size=size,
                reference=reference,
                state=copy.state,
                attempts=copy.attempts,
                lease=lease_until,
                sources=tuple(sources),
            )
        )
    session.flush()
    return claims


def claim_to_copy(
    session: Session,
    *,
    backends: Sequence[str],
    now: int,
    lease_until: int,
    limit: int,
    states: Sequence[str] = ("pending", "bad"),
) -> list[Claim]:
    conditions = _due(states=states, backends=backends, now=now)
    return _claim(session, conditions, now=now, lease_until=lease_until, limit=limit)


def claim_to_verify(
    session: Session,
    *,
    backends: Sequence[str],
    now: int,
    before: int,
    lease_until: int,
    limit: int,
) -> list[Claim]:
    conditions = _verify_due(backends=backends, now=now, before=before)
    return _claim(session, conditions, now=now, lease_until=lease_until, limit=limit)


def finish(session: Session, claim: Claim, **values: Any) -> bool:
    """Update a leased copy and end the lease; False when the lease was lost (or the object
    row is gone), in which case nothing is written."""
    result = session.execute(
        update(ObjectCopy)
        .where(
            ObjectCopy.key == claim.key,
            ObjectCopy.backend == claim.backend,
            ObjectCopy.claimed_until == claim.lease,
        )
        .values(claimed_until=0, **values)
    )
    return affected_rows(result) > 0


def copied(session: Session, claim: Claim, *, sha256: str, now: int) -> bool:
    return finish(
        session,
        claim,
        state="ok",
        sha256=sha256,
        size=claim.size,
        copied_at=now,
        verified_at=now,
        copy_count=ObjectCopy.copy_count + 1,
        attempts=0,
        next_attempt_at=0,
        last_error=None,
    )


def failed(session: Session, claim: Claim, *, error: str, retry_at: int) -> bool:
    return finish(
        session,
        claim,
        attempts=ObjectCopy.attempts + 1,
        next_attempt_at=retry_at,
        last_error=error[:2000],
    )


def verified(session: Session, claim: Claim, *, sha256: str, now: int) -> bool:
    return finish(
        session,
        claim,
        sha256=sha256,
        verified_at=now,
        attempts=0,
        next_attempt_at=0,
        last_error=None,
    )


def found_bad(session: Session, claim: Claim, *, error: str, now: int) -> bool:
    return finish(session, claim, state="bad", verified_at=now, last_error=error[:2000])


def release(session: Session, claims: Sequence[Claim]) -> None:
    for claim in claims:
        finish(session, claim)


def mark_bad(session: Session, *, key: str, backends: Sequence[str], error: str, now: int) -> None:
    """Copies found corrupt while reading them as sources, unless someone holds them."""
    if backends:
        session.execute(
            update(ObjectCopy)
            .where(
                ObjectCopy.key == key,
                ObjectCopy.backend.in_(backends),
                ObjectCopy.state == "ok",
                ObjectCopy.claimed_until <= now,
            )
            .values(state="bad", verified_at=now, last_error=error[:2000])
        )


def set_reference(session: Session, *, key: str, sha256: str, home: str, now: int) -> str | None:
    """Record the object's reference checksum if it has none; returns the reference."""
    session.execute(
        update(StoredObject)
        .where(StoredObject.key == key, StoredObject.sha256.is_(None))
        .values(sha256=sha256)
    )
    reference = session.scalar(select(StoredObject.sha256).where(StoredObject.key == key))
    if reference == sha256:
        session.execute(
            update(ObjectCopy)
            .where(
                ObjectCopy.key == key,
                ObjectCopy.backend == home,
                ObjectCopy.state == "ok",
                ObjectCopy.sha256.is_(None),
            )
            .values(sha256=sha256, verified_at=now)
        )
    return reference


def object_exists(session: Session, key: str) -> bool:
    return session.get(StoredObject, key) is not None


# --- status -----------------------------------------------------------------------------


def tier_totals(session: Session, *, backend: str) -> tuple[int, int]:
    """(objects, bytes) of committed objects with a good copy on that backend; the
    uploaded copy counts until found bad, before replication has seen it."""
    copy = and_(ObjectCopy.key == StoredObject.key, ObjectCopy.backend == backend)
    count, total = session.execute(
        select(func.count(), func.coalesce(func.sum(StoredObject.size), 0))
        .select_from(StoredObject)
        .outerjoin(ObjectCopy, copy)
        .where(
            StoredObject.state == COMMITTED,
            or_(
                ObjectCopy.state == "ok",
                and_(ObjectCopy.key.is_(None), StoredObject.backend == backend),
            ),
        )
    ).one()
    return int(count), int(total)


@dataclass(frozen=True, slots=True)
class Lag:
    replicated: int
    pending: int
    failed: int
    bad: int
    lag_objects: int
    lag_bytes: int
    oldest_pending_at: int | None


def lag(session: Session, *, backend: str) -> Lag:
    """How far a backend is behind: committed objects without a good copy on it."""
    copy = and_(ObjectCopy.key == StoredObject.key, ObjectCopy.backend == backend)
    # Constants inline, so that PostgreSQL sees the GROUP BY expressions as the selected ones.
    uploaded_here = StoredObject.backend == backend
    state = func.coalesce(
        ObjectCopy.state,
        case((uploaded_here, literal_column("'ok'")), else_=literal_column("'pending'")),
    )
    retried = func.coalesce(ObjectCopy.attempts, literal_column("0")) > literal_column("0")
    by_state: dict[tuple[str, bool], tuple[int, int, int | None]] = {}
    for row_state, was_retried, rows, size, first in session.execute(
        select(
            state,
            retried,
            func.count(),
            func.coalesce(func.sum(StoredObject.size), 0),
            func.min(StoredObject.created_at),
        )
        .select_from(StoredObject)
        .outerjoin(ObjectCopy, copy)
        .where(StoredObject.state == COMMITTED)
        .group_by(state, retried)
    ):
        by_state[(str(row_state), bool(was_retried))] = (int(rows), int(size), first)

    def count(state: str, retried: bool | None = None) -> int:
        return sum(
            c for (s, r), (c, _, _) in by_state.items() if s == state and retried in (None, r)
        )

    behind = [v for (s, _), v in by_state.items() if s != "ok"]
    firsts = [o for _, _, o in behind if o is not None]
    return Lag(
        replicated=count("ok"),
        pending=count("pending", False),
        failed=count("pending", True),
        bad=count("bad"),
        lag_objects=sum(c for c, _, _ in behind),
        lag_bytes=sum(t for _, t, _ in behind),
        oldest_pending_at=min(firsts) if firsts else None,
    )


def ok_copies(session: Session, *, key: str) -> list[str]:
    return list(
        session.scalars(
            select(ObjectCopy.backend).where(ObjectCopy.key == key, ObjectCopy.state == "ok")
        )
    )
