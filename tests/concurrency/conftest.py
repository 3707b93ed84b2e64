"""Servers in processes of their own under concurrent clients: what a real deployment sees."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

CLIENT_TIMEOUT_SECONDS = 60


@dataclass
class Outcome:
    """What concurrent requests got: statuses, bodies, and the slowest answer."""

    statuses: list[int] = field(default_factory=list)
    bodies: list[Any] = field(default_factory=list)
    retry_after: list[str | None] = field(default_factory=list)
    timeouts: int = 0
    slowest: float = 0.0

    def count(self, status: int) -> int:
        return self.statuses.count(status)


Call = Callable[[httpx.AsyncClient], Any]


def at_once(calls: list[tuple[str, Call]]) -> Outcome:
    """Make every (base URL, call) at the same time, each on its own connection."""

    async def run() -> Outcome:
        outcome = Outcome()
        limits = httpx.Limits(max_connections=len(calls))
        clients = {
            url: httpx.AsyncClient(base_url=url, timeout=CLIENT_TIMEOUT_SECONDS, limits=limits)
            for url in {url for url, _ in calls}
        }

        async def one(url: str, call: Call) -> None:
            started = time.perf_counter()
            try:
                response: httpx.Response = await call(clients[url])
            except httpx.TimeoutException:
                outcome.timeouts += 1
                return
            outcome.slowest = max(outcome.slowest, time.perf_counter() - started)
            outcome.statuses.append(response.status_code)
            outcome.bodies.append(response.json() if response.content else None)
            outcome.retry_after.append(response.headers.get("retry-after"))

        try:
            await asyncio.gather(*(one(url, call) for url, call in calls))
        finally:
            for client in clients.values():
                await client.aclose()
        return outcome

    return asyncio.run(run())
