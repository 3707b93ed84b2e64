"""One database transaction per request: services flush, the request commits once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from photo_api.db.engine import writer
from photo_api.errors import ApiError

READ_ONLY_METHODS = frozenset({"GET", "HEAD"})


class Database:
    """Holds the engines; handed to the app state and to jobs."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.write_engine = writer(engine)

    def session(self, *, write: bool = True) -> Session:
        return Session(self.write_engine if write else self.engine, expire_on_commit=False)

    def dispose(self) -> None:
        self.engine.dispose()


def get_session(request: Request) -> Iterator[Session]:
    yield from _transaction(request, write=request.method not in READ_ONLY_METHODS)


def get_write_session(request: Request) -> Iterator[Session]:
    """For the few GET routes that write (e.g. minting upload URLs records them)."""
    yield from _transaction(request, write=True)


def _transaction(request: Request, *, write: bool) -> Iterator[Session]:
    db: Database = request.app.state.db
    session = db.session(write=write)
    try:
        yield session
        session.commit()
    except ApiError as exc:
        if exc.commit:
            session.commit()
        else:
            session.rollback()
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": the commit happens before the response is sent, so a failed commit
# can never follow a 200.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]
