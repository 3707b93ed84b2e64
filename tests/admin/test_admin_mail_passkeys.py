"""The `ente` CLI's admin calls `send-mail` and `disable-passkey`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, unique_email
from tests.fixtures.net import free_port
from tests.fixtures.smtp import SmtpServer


def cli_mail(to: str) -> dict[str, Any]:
    """What `ente admin send-mail <to> <from-email> <from-name>` posts."""
    return {
        "to": [to],
        "fromName": "Ente Admin",
        "fromEmail": "admin@example.org",
        "subject": "Test mail from Ente",
        "body": "This is a test mail from Ente",
    }


@contextmanager
def smtp_changed(server: RunningServer, **changes: Any) -> Iterator[None]:
    saved = server.settings.smtp
    server.settings.smtp = saved.model_copy(update=changes)
    try:
        yield
    finally:
        server.settings.smtp = saved


def test_mail_is_delivered_through_smtp(admin: Account, smtp_server: SmtpServer) -> None:
    first, second = unique_email("mail"), unique_email("mail")
    seen = smtp_server.mailbox.count()
    body = {**cli_mail(first), "to": [first, second], "body": "<p>Hello <b>there</b></p>"}
    response = admin.client.post("/admin/mail", json=body)
    assert (response.status_code, response.json()) == (200, {}), response.text
    for recipient in (first, second):
        message = smtp_server.mailbox.wait_for(recipient, after=seen)
        assert message["Subject"] == "Test mail from Ente"
        # Sent from the server's own address; the one asked for is where replies go.
        assert message["From"] == "Photo API <verify@photo-api.test>"
        assert message["Reply-To"] == "Ente Admin <admin@example.org>"
        assert message.get_content_type() == "text/html"
        assert "<b>there</b>" in message.get_payload(decode=True).decode()


def test_mail_is_for_admins_only(admin: Account, account: Account, smtp_server: SmtpServer) -> None:
    seen = smtp_server.mailbox.count()
    refused = account.client.post("/admin/mail", json=cli_mail(unique_email("nope")))
    assert (refused.status_code, refused.json()) == (401, {"error": "insufficient permissions"})
    assert smtp_server.mailbox.count() == seen


def test_bad_mails_are_400(admin: Account) -> None:
    good = cli_mail(unique_email("bad"))
    for bad in (
        {**good, "to": []},
        {**good, "to": ["not an address"]},
        {**good, "to": ["a@example.org\r\nBcc: b@example.org"]},
        {**good, "subject": "Hi\r\nBcc: b@example.org"},
        {**good, "fromName": ""},
        {**good, "fromEmail": "admin"},
        {**good, "body": ""},
        {k: v for k, v in good.items() if k != "subject"},
    ):
        response = admin.client.post("/admin/mail", json=bad)
        assert response.status_code == 400, (bad, response.text)


def test_mail_without_smtp_says_so(server: RunningServer, admin: Account) -> None:
    # museum answers 200 and drops the mail; the CLI would then report a success.
    with smtp_changed(server, host=None):
        response = admin.client.post("/admin/mail", json=cli_mail(unique_email("lost")))
    assert response.status_code == 503
    assert response.json()["code"] == "SMTP_NOT_CONFIGURED"
    with smtp_changed(server, port=free_port()):
        unreachable = admin.client.post("/admin/mail", json=cli_mail(unique_email("lost")))
    assert unreachable.status_code == 502
    assert unreachable.json()["code"] == "MAIL_NOT_SENT"


def test_disable_passkeys(admin: Account, account: Account) -> None:
    # `ente admin disable-passkey -u EMAIL`: look the user up, then disable by id.
    found = admin.client.get("/admin/user/", params={"email": account.email})
    user_id = found.json()["user"]["ID"]
    response = admin.client.post("/admin/user/disable-passkeys", json={"userID": user_id})
    assert (response.status_code, response.json()) == (200, {}), response.text
    # The user still logs in and works as before.
    assert account.client.get("/users/details/v2").status_code == 200

    for body in ({}, {"userID": 0}, {"userID": "x"}):
        bad = admin.client.post("/admin/user/disable-passkeys", json=body)
        assert bad.status_code == 400, (body, bad.text)
    unknown = admin.client.post("/admin/user/disable-passkeys", json={"userID": 987654321})
    assert unknown.status_code == 404
    refused = account.client.post("/admin/user/disable-passkeys", json={"userID": user_id})
    assert (refused.status_code, refused.json()) == (401, {"error": "insufficient permissions"})
