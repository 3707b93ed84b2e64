"""What server processes sharing one database agree on: who they are, who runs which job."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from photo_api.db.base import Base


class ServerIdentity(Base):
    """One row: a fingerprint of the server secrets the database was first served with."""

    __tablename__ = "server_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    secrets_fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(BigInteger)


class JobLease(Base):
    """A background job's next run belongs to the process holding its lease."""

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    until: Mapped[int] = mapped_column(BigInteger)
