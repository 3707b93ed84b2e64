"""Serializing the writers of one thing, for counts checked before they grow.

A limit checked by counting rows and then inserting one is a race unless the writers of
that subject take turns. On PostgreSQL they take a transaction-scoped advisory lock on the
subject; on SQLite nothing is needed, since a writing transaction holds the database's one
write lock from its first statement (BEGIN IMMEDIATE).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.orm import Session


def serialize(session: Session, subject: str) -> None:
    """Wait until no other transaction holds `subject`, then hold it until this one ends."""
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.blake2b(subject.encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
