"""A copy of the database lets nobody log in: no login code, no session token in it.

Codes are kept as HMACs under the server's hash key and tokens as SHA-256, so a dump (every
column of every table; for SQLite also the bytes of the database, WAL and SHM files, which
hold deleted rows and older page versions) must not contain a code or a token in any
encoding. What is stored in clear (the email) is found, which shows the dump is complete.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
from collections.abc import Iterator
from typing import Any

from sqlalchemy import MetaData, select

from photo_api.login import ott
from photo_api.ops.startup import sqlite_path
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import EnteClient, signup, srp_login, unique_email
from tests.fixtures.smtp import SmtpServer


def _rows(server: RunningServer) -> Iterator[str]:
    """Every value of every row of every table, as text (binary values also as hex and
    base64, the forms a careless column would use)."""
    tables = MetaData()
    with server.app.state.db.engine.connect() as connection:
        tables.reflect(connection)
        for name in tables.sorted_tables:
            for row in connection.execute(select(name)):
                for value in row:
                    yield from _as_text(value)


def _as_text(value: Any) -> Iterator[str]:
    if isinstance(value, bytes | memoryview):
        raw = bytes(value)
        yield raw.decode("latin-1")
        yield raw.hex()
        yield base64.b64encode(raw).decode()
    elif isinstance(value, dict | list):
        yield json.dumps(value)
    elif value is not None:
        yield str(value)


def _files(server: RunningServer) -> bytes:
    """The SQLite database as a copy of its files would hold it. Read by another process:
    closing a file of the database in this one would drop the server's locks on it (POSIX
    locks belong to the process, and any close of the file releases them)."""
    path = sqlite_path(server.settings)
    assert path is not None
    files = [path.with_name(path.name + suffix) for suffix in ("", "-wal", "-shm")]
    copied = subprocess.run(
        ["cat", *(str(file) for file in files if file.exists())], capture_output=True, check=True
    )
    return copied.stdout


def _token_forms(token: str) -> list[str]:
    raw = base64.urlsafe_b64decode(token)
    standard = base64.b64encode(raw).decode()
    return [token, token.rstrip("="), raw.hex(), standard, raw.decode("latin-1")]


def _code_pattern(code: str) -> re.Pattern[str]:
    # A code stored as a value, alone or in a JSON document; not six digits that happen to
    # sit inside a longer hex or base64 string.
    return re.compile(rf"(?<![0-9A-Za-z]){code}(?![0-9A-Za-z])")


def test_a_dump_holds_no_code_and_no_token(server: RunningServer, smtp_server: SmtpServer) -> None:
    mailbox = smtp_server.mailbox
    seen = mailbox.count()
    account = signup(server.url, mailbox)
    signup_code = mailbox.code_for(account.email, after=seen)
    signup_token = account.client.token
    assert signup_token is not None

    # A live login code of an account with keys, and of a sign-up not finished (an account
    # without keys, for which a code alone gives a session).
    seen = mailbox.count()
    asked = account.client.post("/users/ott", json={"email": account.email, "purpose": "login"})
    assert asked.status_code == 200, asked.text
    login_code = mailbox.code_for(account.email, after=seen)
    newcomer = unique_email("newcomer")
    seen = mailbox.count()
    asked = EnteClient(server.url).post("/users/ott", json={"email": newcomer, "purpose": "signup"})
    assert asked.status_code == 200, asked.text
    newcomer_code = mailbox.code_for(newcomer, after=seen)

    device, answer = srp_login(server.url, account.email, account.password)
    assert answer.status_code == 200, answer.text
    device.adopt(answer.json(), password=account.password)
    assert device.token is not None and device.get("/users/details/v2").status_code == 200

    values = "\n".join(_rows(server))
    dumps = {"rows": values}
    if server.db == "sqlite":
        dumps["files"] = _files(server).decode("latin-1")
    for where, dump in dumps.items():
        assert account.email in dump, where
        for token in (signup_token, device.token):
            for form in _token_forms(token):
                assert form not in dump, (where, form)
        for code in (signup_code, login_code, newcomer_code):
            assert not _code_pattern(code).search(dump), (where, code)

    # The live codes are there, as their keyed hashes only.
    for email, code in ((account.email, login_code), (newcomer, newcomer_code)):
        hashed = ott.code_hash(server.settings, email=email, app="photos", code=code)
        assert hashed in values
