"""Replicate and verify: work is leased in short transactions, bytes move outside them.

A pass leases a small batch of copies (claimed_until), copies or re-reads each one with no
transaction open (never a SQLite write lock across a network copy), and records each result
only if it still holds the lease. A process that dies mid-copy leaves leases that expire;
`put` is atomic, so a half-written object is never recorded. Everything a pass needs to go
on is in the database, so any pass may stop at any point and the next one continues.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

import structlog
from sqlalchemy.orm import Session

from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.config import ReplicationSettings
from photo_api.db.session import Database
from photo_api.replication import copying, repo
from photo_api.replication.repo import Claim
from photo_api.storage.base import ObjectStore, StorageError
from photo_api.storage.registry import Stores
from photo_api.storage.s3 import S3Store

log = structlog.get_logger(__name__)

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class CopyEvent:
    """A copy the operator should hear of: found "bad", "repaired", "failed" to copy, or
    "unreachable" when verified."""

    outcome: str
    key: str
    backend: str
    reason: str


Report = Callable[[CopyEvent], None]
BATCH = 20
ENSURE_BATCH = 1000
FIRST_BACKOFF_SECONDS = 30
# After this many failures in a row a backend is left alone for the rest of the pass.
FAILURES_BEFORE_GIVING_UP = 3
# An item is not started when its lease would end within this margin.
LEASE_MARGIN_US = 5 * MICROS_PER_SECOND


@dataclass
class _Pass:
    """State of one pass: counts, and the backends that keep failing."""

    db: Database
    stores: Stores
    options: ReplicationSettings
    counts: dict[str, int]
    progress: Progress | None = None
    report: Report | None = None
    total: int = 0
    done: int = 0
    failures: dict[str, int] = field(default_factory=dict)

    @property
    def lease_until(self) -> int:
        return now_us() + self.options.lease_seconds * MICROS_PER_SECOND

    def backends(self) -> list[str]:
        return [
            name
            for name, _ in self.stores
            if self.failures.get(name, 0) < FAILURES_BEFORE_GIVING_UP
        ]

    def target_failed(self, backend: str) -> None:
        self.failures[backend] = self.failures.get(backend, 0) + 1
        if self.failures[backend] == FAILURES_BEFORE_GIVING_UP:
            log.warning("backend keeps failing; skipped for the rest of this pass", backend=backend)

    def tell(self, outcome: str, *, key: str, backend: str, reason: str) -> None:
        """Log the event, and hand it to the caller (the CLI names each one)."""
        level = log.info if outcome == "repaired" else log.warning
        level(f"copy {outcome}", key=key, backend=backend, reason=reason)
        if self.report is not None:
            self.report(CopyEvent(outcome, key, backend, reason))

    def step(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)

    def usable(self, claim: Claim) -> bool:
        margin = min(LEASE_MARGIN_US, self.options.lease_seconds * MICROS_PER_SECOND // 10)
        return (
            self.failures.get(claim.backend, 0) < FAILURES_BEFORE_GIVING_UP
            and now_us() < claim.lease - margin
        )

    def retry_later(self, claim: Claim) -> int:
        return now_us() + backoff_us(
            claim.attempts + 1, max_seconds=self.options.max_backoff_seconds
        )


def backoff_us(attempts: int, *, max_seconds: int) -> int:
    """Delay before retry number `attempts` (1-based): 30 s doubling, capped."""
    seconds = min(FIRST_BACKOFF_SECONDS * 2 ** min(attempts - 1, 32), max_seconds)
    return int(seconds * MICROS_PER_SECOND)


def ensure_copies(db: Database, stores: Stores) -> int:
    """Add the copy rows of newly committed objects; the scan reads, the insert is short.

    An object's rows on every backend are added in one transaction: a replica's pending row
    seen without the home row would have no source to copy from, and wait out a back-off.
    """
    names = [name for name, _ in stores]
    added = 0
    while True:
        with db.session(write=False) as session:
            keys = repo.missing_copies(session, backends=names, limit=ENSURE_BATCH)
        if not keys:
            break
        with db.session() as session:
            for name in names:
                added += repo.add_copies(session, backend=name, keys=keys)
            session.commit()
        if len(keys) < ENSURE_BATCH:
            break
    return added


def replicate(
    db: Database,
    stores: Stores,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
    options: ReplicationSettings | None = None,
    retry_now: bool = False,
    report: Report | None = None,
) -> dict[str, int]:
    """Copy every committed object to each backend lacking a good copy of it.

    retry_now: also retry copies that failed recently (their back-off not yet over).
    """
    counts = {"copied": 0, "failed": 0, "skipped": 0, "lost": 0}
    run = _Pass(db, stores, options or ReplicationSettings(), counts, progress, report)
    ensure_copies(db, stores)
    _copy_pass(run, limit=limit, retry_now=retry_now, states=("pending", "bad"))
    return counts


def _copy_pass(run: _Pass, *, limit: int | None, retry_now: bool, states: tuple[str, ...]) -> None:
    if retry_now:
        # Copies that failed before this pass are due now; those that fail in it are not.
        with run.db.session() as session:
            repo.reset_backoff(session, backends=run.backends(), states=states)
            session.commit()
    with run.db.session(write=False) as session:
        total = repo.count_to_copy(session, backends=run.backends(), now=now_us(), states=states)
    run.total += total if limit is None else min(total, limit)
    handled = 0
    while limit is None or handled < limit:
        size = BATCH if limit is None else min(BATCH, limit - handled)
        with run.db.session() as session:
            claims = repo.claim_to_copy(
                session,
                backends=run.backends(),
                now=now_us(),
                lease_until=run.lease_until,
                limit=size,
                states=states,
            )
            session.commit()
        if not claims:
            return
        for index, claim in enumerate(claims):
            if not run.usable(claim):
                _release(run, claims[index:])
                break
            with _released_on_error(run, claims[index:]):
                _copy_one(run, claim)
                handled += 1
                run.step()


@contextmanager
def _released_on_error(run: _Pass, claims: list[Claim]) -> Iterator[None]:
    """On any interruption (Ctrl-C included) hand the unfinished claims back at once, rather
    than leaving them leased until the lease runs out."""
    try:
        yield
    except BaseException:
        with suppress(Exception):
            _release(run, claims)
        raise


def _release(run: _Pass, claims: list[Claim]) -> None:
    with run.db.session() as session:
        repo.release(session, claims)
        session.commit()
    run.counts["skipped"] = run.counts.get("skipped", 0) + len(claims)


def _copy_one(run: _Pass, claim: Claim) -> bool:
    """Copy one object to one backend and record the outcome; True when it is now good."""
    target = run.stores.get(claim.backend)
    sources: list[ObjectStore] = [s for n in claim.sources if (s := run.stores.get(n)) is not None]
    assert target is not None  # claims are only made for configured backends
    try:
        result = copying.copy_object(
            key=claim.key,
            size=claim.size,
            reference=claim.reference,
            target=target,
            sources=sources,
        )
    except copying.TargetError as exc:
        run.target_failed(claim.backend)
        _failed(run, claim, str(exc))
        return False
    except copying.NoSource as exc:
        _mark_corrupt(run, claim, exc.corrupt)
        _failed(run, claim, f"no good source: {exc}")
        return False
    run.failures[claim.backend] = 0
    _mark_corrupt(run, claim, result.corrupt)
    now = now_us()
    gone = False
    with run.db.session() as session:
        reference = claim.reference
        if result.source == claim.home and reference is None:
            reference = repo.set_reference(
                session, key=claim.key, sha256=result.sha256, home=claim.home, now=now
            )
        if reference is not None and reference != result.sha256:
            # Another process fixed a different reference meanwhile (the source changed).
            recorded = repo.failed(
                session, claim, error="bytes differ from the reference", retry_at=now
            )
            outcome = "failed" if recorded else "lost"
        else:
            recorded = repo.copied(session, claim, sha256=result.sha256, now=now)
            outcome = "copied" if recorded else "lost"
            gone = not recorded and not repo.object_exists(session, claim.key)
        session.commit()
    run.counts[outcome] = run.counts.get(outcome, 0) + 1
    if outcome == "copied" and claim.state == "bad":
        run.tell("repaired", key=claim.key, backend=claim.backend, reason=f"from {result.source}")
    if outcome == "lost" and gone:
        # The object was removed while we copied it: take back what we wrote.
        try:
            target.delete(claim.key)
        except StorageError as exc:
            log.warning(
                "could not remove a copy of a removed object", key=claim.key, error=str(exc)
            )
    return outcome == "copied"


def _failed(run: _Pass, claim: Claim, error: str) -> None:
    attempts = claim.attempts + 1
    retry_at = now_us() + backoff_us(attempts, max_seconds=run.options.max_backoff_seconds)
    run.tell("failed", key=claim.key, backend=claim.backend, reason=f"{error} (try {attempts})")
    with run.db.session() as session:
        recorded = repo.failed(session, claim, error=error, retry_at=retry_at)
        session.commit()
    run.counts["failed" if recorded else "lost"] += 1


def _mark_corrupt(run: _Pass, claim: Claim, backends: list[str]) -> None:
    for backend in backends:
        run.tell("bad", key=claim.key, backend=backend, reason="sha256 differs from the reference")
    if backends:
        with run.db.session() as session:
            repo.mark_bad(
                session,
                key=claim.key,
                backends=backends,
                error="sha256 differs from the reference",
                now=now_us(),
            )
            session.commit()


# --- status -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TierStatus:
    name: str
    type: str
    hot: bool
    objects: int
    bytes: int
    healthy: bool


def tiers(session: Session, stores: Stores) -> list[TierStatus]:
    out = []
    for name, store in stores:
        count, total = repo.tier_totals(session, backend=name)
        try:
            store.check()
            healthy = True
        except StorageError:
            healthy = False
        kind = "s3" if isinstance(store, S3Store) else "local"
        out.append(TierStatus(name, kind, name == stores.hot_name, count, total, healthy))
    return out


def lag(session: Session, stores: Stores) -> dict[str, repo.Lag]:
    """How far behind each replica is."""
    return {name: repo.lag(session, backend=name) for name, _ in stores.replicas()}
