"""When each session token was last used: noted in memory, written in batches by a job.

Writing it during the request would turn every read into a write (and on SQLite take the
write lock); the sessions list can be a minute behind instead.
"""

from __future__ import annotations

import threading
from typing import NamedTuple

from photo_api.auth import repo
from photo_api.db.session import Database


class TokenUse(NamedTuple):
    at: int
    ip: str | None
    user_agent: str | None


class TokenUsage:
    def __init__(self) -> None:
        self._pending: dict[int, TokenUse] = {}
        self._lock = threading.Lock()

    def record(self, token_id: int, use: TokenUse) -> None:
        with self._lock:
            self._pending[token_id] = use

    def flush(self, db: Database) -> int:
        """Write what was noted since the last flush; returns how many tokens."""
        with self._lock:
            pending, self._pending = self._pending, {}
        if pending:
            with db.session() as session:
                repo.record_token_uses(session, pending)
                session.commit()
        return len(pending)
