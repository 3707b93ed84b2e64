"""SQL for the server's identity row."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from photo_api.db import upsert
from photo_api.models import ServerIdentity

IDENTITY_ROW = 1


def claim_identity(session: Session, *, fingerprint: str, now: int) -> str:
    """The fingerprint the database is bound to: this one if it was bound to none."""
    session.execute(
        upsert.insert(session, ServerIdentity)
        .values(id=IDENTITY_ROW, secrets_fingerprint=fingerprint, created_at=now)
        .on_conflict_do_nothing()
    )
    return session.scalars(
        select(ServerIdentity.secrets_fingerprint).where(ServerIdentity.id == IDENTITY_ROW)
    ).one()
