"""Forget what has expired: email codes, SRP attempts, two-factor state, passkey ceremonies
and log-ins, rate counters, the devices admitted to links that were disabled, expired memory
links, cast pairing codes and idle cast sessions, push tokens of devices gone silent."""

from __future__ import annotations

from photo_api.auth import repo as auth_repo
from photo_api.cast import service as cast
from photo_api.clock import MICROS_PER_DAY, MICROS_PER_SECOND, now_us
from photo_api.db.session import Database
from photo_api.login import repo as login_repo
from photo_api.memory_share import service as memory_links
from photo_api.passkeys import repo as passkeys_repo
from photo_api.public_links import repo as public_links_repo
from photo_api.push import repo as push_repo
from photo_api.push.service import STALE_AFTER_US as PUSH_TOKEN_STALE_AFTER_US

SRP_ATTEMPT_LIFETIME_US = MICROS_PER_DAY
USED_CODE_MEMORY_US = 90 * MICROS_PER_SECOND


def run(db: Database, *, now: int | None = None) -> dict[str, int]:
    now = now if now is not None else now_us()
    with db.session() as session:
        ceremonies, passkey_logins = passkeys_repo.delete_expired(session, now=now)
        removed = {
            "otts": login_repo.delete_expired_otts(session, now=now),
            "srp_sessions": login_repo.delete_srp_sessions_before(
                session, before=now - SRP_ATTEMPT_LIFETIME_US
            ),
            "srp_setups": login_repo.delete_srp_setups_before(
                session, before=now - SRP_ATTEMPT_LIFETIME_US
            ),
            "rate_limit_counters": auth_repo.delete_counters_before(
                session, window_start=now - MICROS_PER_DAY
            ),
            "link_devices": public_links_repo.forget_devices_of_closed_links(session),
            "memory_shares": memory_links.purge(session, now=now),
            "cast_sessions": cast.expire(session, now=now),
            "push_tokens": push_repo.delete_updated_before(
                session, before=now - PUSH_TOKEN_STALE_AFTER_US
            ),
            "webauthn_ceremonies": ceremonies,
            "passkey_logins": passkey_logins,
        }
        login_repo.delete_expired_two_factor_state(
            session, now=now, used_before=now - USED_CODE_MEMORY_US
        )
        session.commit()
    return removed
