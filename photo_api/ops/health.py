"""Checks of the database, every storage backend and the mail server, run concurrently with
a deadline."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

from sqlalchemy import text

from photo_api import mail
from photo_api.config import SmtpSettings
from photo_api.db.session import Database
from photo_api.storage.registry import Stores

CHECK_TIMEOUT_SECONDS = 3.0


def _database(db: Database) -> None:
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def check(*, db: Database, stores: Stores, smtp: SmtpSettings | None = None) -> dict[str, Any]:
    """ "ok" when every dependency is; "degraded" when only mail is down (codes cannot be
    sent, all else works); "error" otherwise."""
    probes: dict[str, Callable[[], None]] = {"database": lambda: _database(db)}
    probes.update({f"storage:{name}": store.check for name, store in stores})
    if smtp is not None and smtp.host:
        probes["smtp"] = lambda: mail.probe(smtp, timeout=CHECK_TIMEOUT_SECONDS - 0.5)
    pool = ThreadPoolExecutor(max_workers=len(probes))
    futures = {name: pool.submit(probe) for name, probe in probes.items()}
    wait(futures.values(), timeout=CHECK_TIMEOUT_SECONDS)
    pool.shutdown(wait=False)

    def state(name: str) -> str:
        future = futures[name]
        if not future.done():
            return "timeout"
        return "error" if future.exception() else "ok"

    services: dict[str, Any] = {"database": state("database"), "storage": {}}
    for name, _ in stores:
        services["storage"][name] = state(f"storage:{name}")
    if "smtp" in futures:
        services["smtp"] = state("smtp")
    healthy = services["database"] == "ok" and all(
        value == "ok" for value in services["storage"].values()
    )
    status = "ok" if healthy else "error"
    if healthy and services.get("smtp", "ok") != "ok":
        status = "degraded"
    return {"status": status, "services": services}
