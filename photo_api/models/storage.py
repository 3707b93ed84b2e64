"""Where each object's bytes are: one row per (object, backend) copy, and its health."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from photo_api.db.base import Base


class ObjectCopy(Base):
    """A copy of an object on one backend.

    The copy on the object's own backend (objects.backend, where the client uploaded it) is
    "ok" from the start, with no checksum until first read; copies on other backends start
    "pending" and become "ok" only after their bytes were written and read back. "bad": a
    copy found missing or corrupt, to be re-copied from a good one.
    """

    __tablename__ = "object_copies"
    __table_args__ = (
        Index("ix_object_copies_backend_state", "backend", "state"),
        Index("ix_object_copies_state_next_attempt_at", "state", "next_attempt_at"),
    )

    key: Mapped[str] = mapped_column(
        String(255), ForeignKey("objects.key", ondelete="CASCADE"), primary_key=True
    )
    backend: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Hex SHA-256 of the bytes last verified in this copy.
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    state: Mapped[str] = mapped_column(String(16))
    copied_at: Mapped[int | None] = mapped_column(BigInteger)
    verified_at: Mapped[int | None] = mapped_column(BigInteger)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[int] = mapped_column(BigInteger, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # Times bytes were written here by this server (0 for the uploaded copy).
    copy_count: Mapped[int] = mapped_column(Integer, default=0)
    # A process working on this copy holds it until then (a lease that outlives crashes).
    claimed_until: Mapped[int] = mapped_column(BigInteger, default=0)
