"""museum's diff pages: never split a set of rows that share one timestamp."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

Row = TypeVar("Row")


def page(
    fetch: Callable[[int], Sequence[Row]],
    rows_at: Callable[[int], Sequence[Row]],
    time_of: Callable[[Row], int],
    *,
    limit: int,
) -> tuple[list[Row], bool]:
    """Up to `limit` rows and whether more follow.

    Clients continue from the greatest time of a page, so a page that ended inside a group of
    rows sharing a time would lose the rest of that group: such a group is either dropped to
    the next page, or, when it alone fills the page, returned whole.
    """
    rows = list(fetch(limit + 1))
    if len(rows) <= limit:
        return rows, False
    boundary = time_of(rows[limit])
    # Rows come ordered by time: the boundary's group is the tail of the page.
    end = limit
    while end and time_of(rows[end - 1]) == boundary:
        end -= 1
    if end:
        return rows[:end], True
    return list(rows_at(boundary)), True
