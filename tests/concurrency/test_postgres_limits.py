"""Login limits under concurrent attempts on two server processes sharing one PostgreSQL:
each holds exactly, counted one by one whichever process takes the attempt."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from photo_api.login import throttle
from photo_api.login.ott import MAX_SENT, MAX_WRONG_ATTEMPTS
from photo_api.login.srp_flow import MAX_UNVERIFIED_SESSIONS_PER_HOUR, MAX_WRONG_PROOFS
from tests.client.srp import SrpClient
from tests.concurrency.conftest import Call, Outcome, at_once
from tests.fixtures import processes
from tests.fixtures.databases import PostgresServer
from tests.fixtures.ente import EnteClient, signup
from tests.fixtures.smtp import SmtpServer

ATTEMPTS = 60
# Each address stays within the per-minute rate limit of its route (10).
PER_ADDRESS = 10


@pytest.fixture(scope="module")
def two_servers(
    postgres_server: PostgresServer,
    smtp_server: SmtpServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[list[str]]:
    directory = tmp_path_factory.mktemp("two-servers")
    config = processes.write_config(
        directory / "photo-api.yaml",
        database_url=postgres_server.create_database(),
        data_dir=str(directory),
        smtp=smtp_server.settings,
        jobs_enabled=False,
    )
    with processes.serving(config, log=directory / "servers.log", count=2) as urls:
        yield urls


def _addresses(count: int) -> list[str]:
    """Addresses no account has a session from (TEST-NET-2)."""
    base = secrets.randbelow(200)
    return [f"198.51.{base}.{n + 1}" for n in range(count)]


Attempt = Callable[[httpx.AsyncClient, dict[str, str]], Any]


def _spread(urls: list[str], attempt: Attempt, attempts: int = ATTEMPTS) -> Outcome:
    """`attempts` calls at once, alternating servers, PER_ADDRESS from each address."""
    addresses = _addresses(attempts // PER_ADDRESS)

    def call(n: int) -> Call:
        headers = {"X-Forwarded-For": addresses[n // PER_ADDRESS]}
        return lambda client: attempt(client, headers)

    return at_once([(urls[n % len(urls)], call(n)) for n in range(attempts)])


@pytest.mark.slow
def test_wrong_srp_proofs_on_one_session(two_servers: list[str], smtp_server: SmtpServer) -> None:
    owner = signup(two_servers[0], smtp_server.mailbox)
    srp = SrpClient(owner.srp_user_id, b"0" * 16, b"1" * 16)
    opened = EnteClient(two_servers[0]).post(
        "/users/srp/create-session",
        json={"srpUserID": owner.srp_user_id, "srpA": base64.b64encode(srp.public_a).decode()},
    )
    assert opened.status_code == 200, opened.text
    proof = {
        "sessionID": opened.json()["sessionID"],
        "srpUserID": owner.srp_user_id,
        "srpM1": base64.b64encode(secrets.token_bytes(32)).decode(),
    }

    def verify(client: httpx.AsyncClient, headers: dict[str, str]) -> Any:
        return client.post("/users/srp/verify-session", json=proof, headers=headers)

    outcome = _spread(two_servers, verify)
    assert outcome.count(401) == MAX_WRONG_PROOFS
    assert outcome.count(410) == ATTEMPTS - MAX_WRONG_PROOFS


@pytest.mark.slow
def test_unverified_srp_sessions(two_servers: list[str], smtp_server: SmtpServer) -> None:
    owner = signup(two_servers[0], smtp_server.mailbox)
    srp_a = base64.b64encode(SrpClient(owner.srp_user_id, b"0" * 16, b"1" * 16).public_a)

    def create(client: httpx.AsyncClient, headers: dict[str, str]) -> Any:
        body = {"srpUserID": owner.srp_user_id, "srpA": srp_a.decode()}
        return client.post("/users/srp/create-session", json=body, headers=headers)

    outcome = _spread(two_servers, create)
    ceiling = MAX_UNVERIFIED_SESSIONS_PER_HOUR * throttle.ACCOUNT_CEILING
    assert outcome.count(200) == ceiling
    assert outcome.count(429) == ATTEMPTS - ceiling


@pytest.mark.slow
def test_codes_sent(two_servers: list[str], smtp_server: SmtpServer) -> None:
    owner = signup(two_servers[0], smtp_server.mailbox)

    def send(client: httpx.AsyncClient, headers: dict[str, str]) -> Any:
        body = {"email": owner.email, "purpose": "login"}
        return client.post("/users/ott", json=body, headers=headers)

    outcome = _spread(two_servers, send)
    # The sign-up's code counts against the account's ceiling too.
    ceiling = MAX_SENT * throttle.ACCOUNT_CEILING - 1
    assert outcome.count(200) == ceiling
    assert outcome.count(429) == ATTEMPTS - ceiling


@pytest.mark.slow
def test_wrong_codes(two_servers: list[str], smtp_server: SmtpServer) -> None:
    owner = signup(two_servers[0], smtp_server.mailbox)
    seen = smtp_server.mailbox.count()
    sent = EnteClient(two_servers[0]).post(
        "/users/ott", json={"email": owner.email, "purpose": "login"}
    )
    assert sent.status_code == 200, sent.text
    code = smtp_server.mailbox.code_for(owner.email, after=seen)
    wrong = "000000" if code != "000000" else "111111"

    def verify(client: httpx.AsyncClient, headers: dict[str, str]) -> Any:
        body = {"email": owner.email, "ott": wrong}
        return client.post("/users/verify-email", json=body, headers=headers)

    ceiling = MAX_WRONG_ATTEMPTS * throttle.ACCOUNT_CEILING
    attempts = ceiling + 2 * PER_ADDRESS
    outcome = _spread(two_servers, verify, attempts)
    assert outcome.count(401) == ceiling
    assert outcome.count(429) == attempts - ceiling
