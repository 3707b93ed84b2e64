"""Admission to the database: a bounded number of request transactions at a time.

A request waits for its slot in the event loop, holding no worker thread and no connection,
so that the requests already in the database always find threads to finish on. A request that
cannot get a slot soon enough gets a fast 503 with Retry-After instead of a long hang.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from photo_api.errors import service_unavailable

# What a client refused for overload is told to wait before trying again.
RETRY_AFTER_SECONDS = 1


class Gate:
    def __init__(self, *, slots: int, wait_seconds: float, max_waiting: int) -> None:
        self.slots = slots
        self.wait_seconds = wait_seconds
        self.max_waiting = max_waiting
        self.waiting = 0
        # Created on first use, inside the server's event loop.
        self._semaphore: asyncio.Semaphore | None = None

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.slots)
        if self.waiting >= self.max_waiting:
            raise service_unavailable(RETRY_AFTER_SECONDS)
        self.waiting += 1
        try:
            async with asyncio.timeout(self.wait_seconds):
                await self._semaphore.acquire()
        except TimeoutError:
            raise service_unavailable(RETRY_AFTER_SECONDS) from None
        finally:
            self.waiting -= 1
        try:
            yield
        finally:
            self._semaphore.release()
