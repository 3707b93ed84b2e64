"""SQL for push tokens."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from photo_api.db.results import affected_rows
from photo_api.models import PushToken


def upsert(
    session: Session, *, fcm_token: str, user_id: int, apns_token: str | None, now: int
) -> None:
    """Insert the token, or give it to this user with the new APNs token; atomic, so two
    registrations of one device at once cannot collide."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(PushToken)
        .values(
            fcm_token=fcm_token,
            user_id=user_id,
            apns_token=apns_token,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_update(
            index_elements=["fcm_token"],
            set_={"user_id": user_id, "apns_token": apns_token, "updated_at": now},
        )
    )


def delete_updated_before(session: Session, *, before: int) -> int:
    return affected_rows(session.execute(delete(PushToken).where(PushToken.updated_at < before)))
