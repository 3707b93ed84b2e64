"""Abuse limits: email codes, SRP proofs, and per-IP rate limits shared through the database."""

from __future__ import annotations

import base64
import time

import httpx
from sqlalchemy import delete, func, or_, select

from photo_api.models import Ott, RateLimitCounter
from tests.client.srp import SrpClient
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import WRONG_PASSWORD, Account, EnteClient, srp_login, unique_email
from tests.fixtures.smtp import SmtpServer


def request_code(client: EnteClient, email: str, purpose: str = "signup"):
    return client.post("/users/ott", json={"email": email, "purpose": purpose})


def test_code_is_single_use(server: RunningServer, smtp_server: SmtpServer) -> None:
    email = unique_email()
    client = EnteClient(server.url)
    seen = smtp_server.mailbox.count()
    request_code(client, email)
    code = smtp_server.mailbox.code_for(email, after=seen)
    assert client.post("/users/verify-email", json={"email": email, "ott": code}).status_code == 200
    again = EnteClient(server.url).post("/users/verify-email", json={"email": email, "ott": code})
    assert again.status_code == 410


def test_wrong_code_is_401_and_20_wrong_codes_lock_out_that_address_only(
    server: RunningServer, smtp_server: SmtpServer
) -> None:
    email = unique_email()
    seen = smtp_server.mailbox.count()
    request_code(EnteClient(server.url), email)
    code = smtp_server.mailbox.code_for(email, after=seen)
    wrong = "000000" if code != "000000" else "111111"
    attacker = EnteClient(server.url)
    for attempt in range(20):
        if attempt % 10 == 0:
            a_minute_later(server)
        response = attacker.post("/users/verify-email", json={"email": email, "ott": wrong})
        assert response.status_code == 401, (attempt, response.text)
    a_minute_later(server)
    locked = attacker.post("/users/verify-email", json={"email": email, "ott": code})
    assert locked.status_code == 429
    assert locked.json()["message"] == "too many wrong attempts"
    # The owner, elsewhere, is not kept out.
    owner = EnteClient(server.url).post("/users/verify-email", json={"email": email, "ott": code})
    assert owner.status_code == 200, owner.text


def test_no_code_requested_is_410(server: RunningServer) -> None:
    response = EnteClient(server.url).post(
        "/users/verify-email", json={"email": unique_email(), "ott": "123456"}
    )
    assert response.status_code == 410


def test_ten_codes_an_hour_per_address_and_the_ten_newest_stay_valid(
    server: RunningServer, smtp_server: SmtpServer
) -> None:
    email = unique_email()
    attacker = EnteClient(server.url)
    for _ in range(10):
        assert request_code(attacker, email).status_code == 200
    a_minute_later(server)
    refused = request_code(attacker, email)
    assert refused.status_code == 429
    assert refused.json()["message"] == "too many codes requested"

    # The owner still gets a code; the oldest of the eleven is no longer valid.
    seen = smtp_server.mailbox.count()
    assert request_code(EnteClient(server.url), email).status_code == 200
    newest = smtp_server.mailbox.code_for(email, after=seen)
    with server.app.state.db.session(write=False) as session:
        assert session.scalar(select(func.count()).where(Ott.email == email)) == 10
    ok = EnteClient(server.url).post("/users/verify-email", json={"email": email, "ott": newest})
    assert ok.status_code == 200, ok.text


def test_codes_are_per_app(server: RunningServer, smtp_server: SmtpServer) -> None:
    email = unique_email()
    seen = smtp_server.mailbox.count()
    request_code(EnteClient(server.url, package="io.ente.auth.web"), email)
    code = smtp_server.mailbox.code_for(email, after=seen)
    photos = EnteClient(server.url).post("/users/verify-email", json={"email": email, "ott": code})
    assert photos.status_code == 410
    auth = EnteClient(server.url, package="io.ente.auth.web").post(
        "/users/verify-email", json={"email": email, "ott": code}
    )
    assert auth.status_code == 200


def test_signup_and_login_purposes(account: Account, server: RunningServer) -> None:
    client = EnteClient(server.url)
    taken = request_code(client, account.email, "signup")
    assert taken.status_code == 409
    assert taken.json()["code"] == "USER_ALREADY_REGISTERED"
    unknown = request_code(EnteClient(server.url), unique_email(), "login")
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "USER_NOT_REGISTERED"


def test_per_ip_limit_holds(server: RunningServer) -> None:
    # The limit counts per minute of the clock: start the 11 requests early in one.
    if time.time() % 60 > 45:
        time.sleep(60 - time.time() % 60)
    client = EnteClient(server.url)
    statuses = [
        client.get("/users/srp/attributes", params={"email": unique_email()}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [404] * 10
    assert statuses[10] == 429


def test_srp_session_allows_five_wrong_proofs(account: Account, server: RunningServer) -> None:
    _, response = srp_login(server.url, account.email, WRONG_PASSWORD)
    assert response.status_code == 401
    body = response.request.content
    for _ in range(4):
        assert (
            EnteClient(server.url).http.post("/users/srp/verify-session", content=body).status_code
            == 401
        )
    final = EnteClient(server.url).http.post("/users/srp/verify-session", content=body)
    assert final.status_code == 410
    assert final.json()["code"] == "TOO_MANY_WRONG_ATTEMPTS"


def test_malformed_srp_input_is_400(server: RunningServer) -> None:
    client = EnteClient(server.url)
    short_a = client.post(
        "/users/srp/create-session",
        json={
            "srpUserID": "4b0c7f0a-5d3c-4b5e-9f0e-1a2b3c4d5e6f",
            "srpA": base64.b64encode(b"\x01" * 100).decode(),
        },
    )
    assert short_a.status_code == 400
    not_uuid = client.post("/users/srp/create-session", json={"srpUserID": "x", "srpA": "AA=="})
    assert not_uuid.status_code == 400
    not_b64 = client.post(
        "/users/srp/verify-session",
        json={
            "sessionID": "4b0c7f0a-5d3c-4b5e-9f0e-1a2b3c4d5e6f",
            "srpUserID": "4b0c7f0a-5d3c-4b5e-9f0e-1a2b3c4d5e6f",
            "srpM1": "!!",
        },
    )
    assert not_b64.status_code == 400


def test_registration_can_be_disabled(server: RunningServer) -> None:
    server.settings.disable_registration = True
    try:
        response = request_code(EnteClient(server.url), unique_email())
        assert response.status_code == 403
    finally:
        server.settings.disable_registration = False


def test_hardcoded_code_is_used_without_mail(
    server: RunningServer, smtp_server: SmtpServer
) -> None:
    email = unique_email("fixed")
    server.settings.hardcoded_otts = [f"{email},424242"]
    try:
        seen = smtp_server.mailbox.count()
        assert request_code(EnteClient(server.url), email).status_code == 200
        response = EnteClient(server.url).post(
            "/users/verify-email", json={"email": email, "ott": "424242"}
        )
        assert response.status_code == 200, response.text
        assert all(m["To"] != email for m in smtp_server.mailbox.messages[seen:])
    finally:
        server.settings.hardcoded_otts = []


def test_ten_unverified_srp_sessions_an_hour_per_address(
    account: Account, server: RunningServer
) -> None:
    def create_session(client: EnteClient) -> httpx.Response:
        srp = SrpClient(account.srp_user_id, b"0" * 16, b"1" * 16)
        return client.post(
            "/users/srp/create-session",
            json={
                "srpUserID": account.srp_user_id,
                "srpA": base64.b64encode(srp.public_a).decode(),
            },
        )

    attacker = EnteClient(server.url)
    assert [create_session(attacker).status_code for _ in range(10)] == [200] * 10
    a_minute_later(server)
    refused = create_session(attacker)
    assert refused.status_code == 429
    assert refused.json()["message"] == "TOO_MANY_UNVERIFIED_SESSIONS"

    # The owner, from another address, logs in.
    client, response = srp_login(server.url, account.email, account.password)
    assert response.status_code == 200, response.text

    # Attackers spread over addresses reach the account's ceiling (five addresses' worth)...
    for _ in range(4):
        spread = EnteClient(server.url)
        assert [create_session(spread).status_code for _ in range(10)] == [200] * 10
    assert create_session(EnteClient(server.url)).status_code == 429
    # ...which an address the account has a session from does not count against.
    client.adopt(response.json(), password=account.password)
    assert client.get("/users/details/v2").status_code == 200
    flush_token_uses(server)
    _, again = srp_login(server.url, account.email, account.password, ip=client.ip)
    assert again.status_code == 200, again.text


def a_minute_later(server: RunningServer) -> None:
    """Start the next minute of the per-address rate limits (not what these tests are about)."""
    with server.app.state.db.session() as session:
        session.execute(
            delete(RateLimitCounter).where(
                or_(*(RateLimitCounter.key.startswith(f"{name}:") for name in RATE_LIMITED))
            )
        )
        session.commit()


def flush_token_uses(server: RunningServer) -> None:
    """Write the sessions' last uses now rather than at the next run of the job."""
    server.app.state.token_usage.flush(server.app.state.db)


RATE_LIMITED = ("ott", "verify-email", "srp-create-session", "srp-verify-session")
