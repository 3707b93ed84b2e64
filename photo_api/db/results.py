"""What a statement did, typed: SQLAlchemy types `Session.execute` as a plain Result."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Result


def affected_rows(result: Result[Any]) -> int:
    """Rows matched by an UPDATE or DELETE."""
    return int(cast(CursorResult[Any], result).rowcount or 0)
