"""One database transaction per request: services flush, the request commits once.

Concurrency, in short (the README's development section says why):
- A request's transaction starts at its first query and holds a slot of a `Gate` until it
  commits. Slots are awaited in the event loop, never in a worker thread, and there are
  fewer slots than threads and pooled connections: a request in the database always finds a
  thread and a connection to finish on.
- On SQLite, reads (GET, HEAD) never take the write lock (WAL), and writes queue for the one
  write slot before their BEGIN IMMEDIATE: one writer per process holds the lock, and only
  for its own transaction. On PostgreSQL every request takes a slot of one gate.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Annotated

import anyio
import anyio.from_thread
from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from photo_api.config import Settings
from photo_api.db.engine import is_sqlite, make_engine, writer
from photo_api.db.gate import Gate
from photo_api.errors import ApiError

READ_ONLY_METHODS = frozenset({"GET", "HEAD"})


class Database:
    """The engines and the gates in front of them; handed to the app state and to jobs."""

    def __init__(
        self, engine: Engine, *, slots: int = 8, wait_seconds: float = 10, max_waiting: int = 1000
    ) -> None:
        self.engine = engine
        self.write_engine = writer(engine)
        self.reads = Gate(slots=slots, wait_seconds=wait_seconds, max_waiting=max_waiting)
        # SQLite has one writer at a time: more write slots would only make threads wait.
        self.writes = (
            Gate(slots=1, wait_seconds=wait_seconds, max_waiting=max_waiting)
            if is_sqlite(engine)
            else self.reads
        )

    def session(self, *, write: bool = True) -> Session:
        return Session(self.write_engine if write else self.engine, expire_on_commit=False)

    @contextmanager
    def side_write(self) -> Iterator[Session]:
        """A short write transaction of its own, from a request's worker thread (a rate
        counter, an admitted device): it queues for the write slot like a request does, so it
        must be opened before the request's own write transaction has begun."""
        with _holding(self.writes), self.session() as session:
            yield session
            session.commit()

    @contextmanager
    def side_read(self) -> Iterator[Session]:
        """A short read transaction of its own, from a request's worker thread: for a route
        that then waits on something slow (storage) and must hold no transaction meanwhile."""
        with _holding(self.reads), self.session(write=False) as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(settings: Settings) -> Database:
    slots = settings.db_connections
    return Database(
        make_engine(settings.resolved_database_url, slots=slots),
        slots=slots,
        wait_seconds=settings.overload_wait_seconds,
    )


@contextmanager
def _holding(gate: Gate) -> Iterator[None]:
    """Hold a slot of the gate from a worker thread of the server's event loop."""
    slot = gate.slot()
    try:
        anyio.from_thread.run(slot.__aenter__)
    except anyio.NoEventLoopError:
        # Not under the server (a command, a test calling a service): nothing to queue behind.
        yield
        return
    try:
        yield
    finally:
        anyio.from_thread.run(slot.__aexit__, None, None, None)


async def get_session(request: Request) -> AsyncIterator[Session]:
    async with _transaction(request, write=request.method not in READ_ONLY_METHODS) as session:
        yield session


async def get_write_session(request: Request) -> AsyncIterator[Session]:
    """For the few GET routes that write (e.g. minting upload URLs records them)."""
    async with _transaction(request, write=True) as session:
        yield session


@asynccontextmanager
async def _transaction(request: Request, *, write: bool) -> AsyncIterator[Session]:
    db: Database = request.app.state.db
    async with (db.writes if write else db.reads).slot():
        session = db.session(write=write)
        try:
            yield session
        except ApiError as exc:
            await _end(session, commit=exc.commit)
            raise
        except BaseException:
            await _end(session, commit=False)
            raise
        await _end(session, commit=True)


async def _end(session: Session, *, commit: bool) -> None:
    """Commit or roll back, and give the connection back, in one trip to a worker thread (the
    slot is held until then). Shielded: a request cancelled by its client disconnecting still
    ends its transaction and returns its connection before giving up its slot."""

    def end() -> None:
        try:
            session.commit() if commit else session.rollback()
        finally:
            session.close()

    with anyio.CancelScope(shield=True):
        await run_in_threadpool(end)


# scope="function": the commit happens before the response is sent, so a failed commit
# can never follow a 200.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]
