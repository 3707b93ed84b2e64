"""Log-in limits that an attacker cannot turn against the account's owner.

museum counts failures per account, so anyone who knows an email can lock its owner out for
an hour: ten SRP sessions opened for the (public) srpUserID, or twenty wrong codes. Here each
limit is museum's, counted per account *and client address*: one address exhausts only its
own budget. A ceiling per account, ACCOUNT_CEILING times the limit, stops an attacker who
spreads over many addresses; it does not apply to addresses the account has a session from,
so that the owner at home is never kept out. Counting and checking happen under the
subject's lock (photo_api.db.locks), so that concurrent attempts are counted one by one.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from photo_api.auth import repo as auth_repo
from photo_api.clock import MICROS_PER_SECOND
from photo_api.errors import ApiError

HOUR_US = 3600 * MICROS_PER_SECOND
ACCOUNT_CEILING = 5


def hour_window(now: int) -> int:
    return now // HOUR_US * HOUR_US


def refuse_unless_allowed(
    session: Session,
    *,
    from_address: int,
    everywhere: int,
    limit: int,
    user_id: int | None,
    ip: str,
    error: ApiError,
) -> None:
    """Raise `error` when one more attempt would pass the limit for this address, or the
    account's ceiling from an address the account has no session from."""
    if from_address >= limit:
        raise error
    if everywhere >= limit * ACCOUNT_CEILING and not (
        user_id is not None and auth_repo.has_session_from(session, user_id=user_id, ip=ip)
    ):
        raise error


def _keys(kind: str, subject: str, ip: str) -> tuple[str, str]:
    # Hashed: an email and an address may be longer than a counter's key.
    account = f"{kind}:{hashlib.sha256(subject.encode()).hexdigest()[:40]}"
    return f"{account}@{hashlib.sha256(ip.encode()).hexdigest()[:16]}", account


def counted(session: Session, *, kind: str, subject: str, ip: str, now: int) -> tuple[int, int]:
    """This hour's counts of `kind` for `subject`: from this address, and from every one."""
    window = hour_window(now)
    here, everywhere = _keys(kind, subject, ip)
    return (
        auth_repo.counter(session, key=here, window_start=window),
        auth_repo.counter(session, key=everywhere, window_start=window),
    )


def count(session: Session, *, kind: str, subject: str, ip: str, now: int) -> None:
    window = hour_window(now)
    for key in _keys(kind, subject, ip):
        auth_repo.hit_counter(session, key=key, window_start=window)
