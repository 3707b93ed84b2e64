"""Verify: re-read copies and compare them with their object's reference checksum.

Works in passes like replication (photo_api.replication.service): leased batches, bytes
read outside any transaction, each result recorded only while the lease holds.
"""

from __future__ import annotations

from photo_api.clock import now_us
from photo_api.config import ReplicationSettings
from photo_api.db.session import Database
from photo_api.replication import copying, repo
from photo_api.replication.repo import Claim

# The pass machinery is the package's own, shared with replication.
from photo_api.replication.service import (
    BATCH,
    Progress,
    Report,
    _copy_pass,
    _Pass,
    _release,
    _released_on_error,
    ensure_copies,
)
from photo_api.storage.base import ObjectNotFound, StorageError
from photo_api.storage.registry import Stores


def verify(
    db: Database,
    stores: Stores,
    *,
    repair: bool = True,
    progress: Progress | None = None,
    options: ReplicationSettings | None = None,
    verified_before: int | None = None,
    report: Report | None = None,
) -> dict[str, int]:
    """Re-read every good copy (the uploaded one too) not verified since `verified_before`
    (default: now) and compare its SHA-256 with the object's reference.

    A missing or corrupt copy is marked "bad"; with repair it is copied again from a good one.
    """
    counts = {"verified": 0, "bad": 0, "repaired": 0, "unreachable": 0, "lost": 0}
    run = _Pass(db, stores, options or ReplicationSettings(), counts, progress, report)
    before = now_us() if verified_before is None else verified_before
    ensure_copies(db, stores)
    with db.session(write=False) as session:
        run.total = repo.count_to_verify(
            session, backends=run.backends(), now=now_us(), before=before
        )
    while True:
        with db.session() as session:
            claims = repo.claim_to_verify(
                session,
                backends=run.backends(),
                now=now_us(),
                before=before,
                lease_until=run.lease_until,
                limit=BATCH,
            )
            session.commit()
        if not claims:
            break
        for index, claim in enumerate(claims):
            if not run.usable(claim):
                _release(run, claims[index:])
                break
            with _released_on_error(run, claims[index:]):
                _verify_one(run, claim)
                run.step()
    if repair:
        # Bad copies, whether found now, by an earlier pass or while copying.
        before_repair = dict(counts)
        copy_counts = {"copied": 0, "failed": 0, "skipped": 0, "lost": 0}
        run.counts = copy_counts
        _copy_pass(run, limit=None, retry_now=True, states=("bad",))
        counts = before_repair
        counts["repaired"] += copy_counts["copied"]
        counts["repair_failed"] = copy_counts["failed"]
        counts["skipped"] = counts.get("skipped", 0) + copy_counts["skipped"]
    return counts


def _verify_one(run: _Pass, claim: Claim) -> None:
    store = run.stores.get(claim.backend)
    assert store is not None
    problem: str | None = None
    try:
        actual, size = copying.hash_object(store, claim.key)
    except ObjectNotFound:
        problem = "missing"
    except StorageError as exc:
        run.target_failed(claim.backend)
        run.counts["unreachable"] += 1
        run.tell("unreachable", key=claim.key, backend=claim.backend, reason=str(exc))
        _verify_later(run, claim, f"verify: {exc}")
        return
    run.failures[claim.backend] = 0
    now = now_us()
    reference = claim.reference
    if problem is None and reference is None:
        reference = _reference(run, claim, actual)
        if reference is None:
            # Neither the uploaded copy nor a checksum to compare with: nothing to judge by.
            _verify_later(run, claim, "no reference checksum: the uploaded copy is unreadable")
            return
    if problem is None and (actual != reference or size != claim.size):
        problem = f"sha256 {actual} ({size} B) is not the reference {reference} ({claim.size} B)"
    with run.db.session() as session:
        if problem is None:
            recorded = repo.verified(session, claim, sha256=actual, now=now)
        else:
            recorded = repo.found_bad(session, claim, error=problem, now=now)
        session.commit()
    if not recorded:
        run.counts["lost"] += 1
    elif problem is None:
        run.counts["verified"] += 1
    else:
        run.counts["bad"] += 1
        run.tell("bad", key=claim.key, backend=claim.backend, reason=problem)


def _verify_later(run: _Pass, claim: Claim, error: str) -> None:
    """Leave the copy as it is, to be verified again after a back-off."""
    with run.db.session() as session:
        repo.finish(
            session,
            claim,
            attempts=claim.attempts + 1,
            next_attempt_at=run.retry_later(claim),
            last_error=error[:2000],
        )
        session.commit()


def _reference(run: _Pass, claim: Claim, actual: str) -> str | None:
    """The object's reference checksum, taken from the uploaded copy on first read."""
    if claim.backend == claim.home:
        digest: str | None = actual
    else:
        home = run.stores.get(claim.home)
        try:
            digest = copying.hash_object(home, claim.key)[0] if home is not None else None
        except StorageError:
            digest = None
    if digest is None:
        return None
    with run.db.session() as session:
        reference = repo.set_reference(
            session, key=claim.key, sha256=digest, home=claim.home, now=now_us()
        )
        session.commit()
    return reference
