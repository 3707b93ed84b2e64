"""What the mobile app registers beyond the library: its devices' push tokens."""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from photo_api.db.base import Base
from photo_api.models.accounts import user_fk

# Firebase registration tokens are about 160 characters, APNs device tokens 64 hex digits.
PUSH_TOKEN = String(512)


class PushToken(Base):
    """A device's Firebase token, as the iOS app registers it. Kept, never used: this server
    sends no push notifications (museum's would wake the app to sync every hour)."""

    __tablename__ = "push_tokens"
    __table_args__ = (
        Index("ix_push_tokens_user_id", "user_id"),
        Index("ix_push_tokens_updated_at", "updated_at"),
    )

    fcm_token: Mapped[str] = mapped_column(PUSH_TOKEN, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, user_fk())
    apns_token: Mapped[str | None] = mapped_column(PUSH_TOKEN)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)
