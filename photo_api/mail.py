"""Email: through SMTP when configured, otherwise a clear line in the server log.

Mail is sent after the response, so only committed state is ever announced; only an admin's
test mail is sent while the request waits, so that its answer can say whether it went.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

import aiosmtplib
import structlog
from fastapi import BackgroundTasks

from photo_api.config import SmtpSettings

log = structlog.get_logger("photo_api.mail")
SMTP_TIMEOUT_SECONDS = 20


@dataclass(frozen=True, slots=True)
class Email:
    to: str
    subject: str
    text: str
    html: bool = False
    reply_to: str | None = None


class MailError(Exception):
    """The mail was not sent: the SMTP server could not be reached or refused it."""

    def __init__(self, message: str, *, recipient_refused: bool = False) -> None:
        super().__init__(message)
        self.recipient_refused = recipient_refused


def _message(smtp: SmtpSettings, email: Email) -> EmailMessage:
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = email.to
    if email.reply_to:
        message["Reply-To"] = email.reply_to
    message["Subject"] = email.subject.replace("\r", " ").replace("\n", " ")
    message.set_content(email.text, subtype="html" if email.html else "plain")
    return message


async def send(smtp: SmtpSettings, email: Email) -> None:
    """Hand one mail to the SMTP server; MailError when it does not take it."""
    try:
        await aiosmtplib.send(
            _message(smtp, email),
            hostname=smtp.host,
            port=smtp.port,
            username=smtp.username,
            password=smtp.password.get_secret_value() if smtp.password else None,
            use_tls=smtp.encryption == "tls",
            start_tls=smtp.encryption == "starttls",
            timeout=SMTP_TIMEOUT_SECONDS,
        )
    except aiosmtplib.SMTPRecipientsRefused as exc:
        raise MailError(str(exc), recipient_refused=True) from exc
    # ValueError: an address the mail library cannot write (inputs are checked before; this
    # covers addresses stored earlier).
    except (aiosmtplib.SMTPException, OSError, ValueError) as exc:
        raise MailError(str(exc)) from exc


async def deliver(smtp: SmtpSettings, email: Email) -> None:
    if not smtp.host:
        log.info("email not sent (no SMTP configured)", to=email.to, subject=email.subject)
        return
    try:
        await send(smtp, email)
    except MailError as exc:
        log.error("email delivery failed", to=email.to, subject=email.subject, error=str(exc))


def probe(smtp: SmtpSettings, *, timeout: float, login: bool = False) -> None:
    """Connect and greet the mail server (and log in when asked); raises OSError or
    smtplib.SMTPException when that fails."""
    if not smtp.host:
        raise ValueError("no SMTP host configured")
    kind = smtplib.SMTP_SSL if smtp.encryption == "tls" else smtplib.SMTP
    with kind(smtp.host, smtp.port, timeout=timeout) as client:
        client.ehlo()
        if smtp.encryption == "starttls" and client.has_extn("starttls"):
            client.starttls()
            client.ehlo()
        if login and smtp.username and smtp.password:
            client.login(smtp.username, smtp.password.get_secret_value())


class Outbox:
    """Collects the emails of a request and hands them to delivery once it has answered."""

    def __init__(self, smtp: SmtpSettings, background: BackgroundTasks) -> None:
        self.smtp = smtp
        self.background = background

    @property
    def has_smtp(self) -> bool:
        return bool(self.smtp.host)

    def send(self, email: Email) -> None:
        self.background.add_task(deliver, self.smtp, email)

    async def send_now(self, email: Email) -> None:
        """Deliver while the request waits; MailError when SMTP is not configured or fails."""
        if not self.has_smtp:
            raise MailError("no SMTP server is configured")
        await send(self.smtp, email)
