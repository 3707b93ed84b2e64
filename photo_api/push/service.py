"""Rules for push tokens: one row per device token, owned by whoever registered it last."""

from __future__ import annotations

from sqlalchemy.orm import Session

from photo_api.clock import MICROS_PER_DAY, now_us
from photo_api.push import repo

# The app registers again every 30 days; a token silent for twice that is a device gone.
STALE_AFTER_US = 61 * MICROS_PER_DAY


def register(session: Session, *, user_id: int, fcm_token: str, apns_token: str | None) -> None:
    """Store a device's token, or refresh it.

    museum keeps a token's first owner; here a device that changes hands (logged out, then in
    as someone else) belongs to the user who registered it last.
    """
    repo.upsert(session, fcm_token=fcm_token, user_id=user_id, apns_token=apns_token, now=now_us())
