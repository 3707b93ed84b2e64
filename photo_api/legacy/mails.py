"""The mails of Legacy: who is told of each change, in our words, under museum's subjects."""

from __future__ import annotations

from typing import Literal

from photo_api.mail import Email, Outbox
from photo_api.models import User

Event = Literal[
    "invited",
    "accepted",
    "denied",
    "left",
    "revoked",
    "recovery_started",
    "recovery_reminder",
    "recovery_ready",
    "recovery_rejected",
    "recovery_stopped",
    "recovered",
]
Role = Literal["owner", "contact"]
WHERE = "Ente Photos, Settings → Account → Legacy"

# For each event: (recipient, subject, body). {owner} and {contact} are the two e-mail
# addresses, {days} the days left in the notice period.
_MAILS: dict[Event, list[tuple[Role, str, str]]] = {
    "invited": [
        (
            "contact",
            "You have been added as a trusted contact",
            "{owner} would like you to be a trusted contact for their account.\n\n"
            "A trusted contact can help someone who has lost both their password and their "
            "recovery key get back into their account. To accept or decline, open "
            f"{WHERE}.",
        ),
        (
            "owner",
            "Trusted contact invited",
            "You asked {contact} to be a trusted contact for your account.\n\n"
            "Once they accept, they can start a recovery of your account. You would be told "
            "by mail and could block it during your notice period. To withdraw the "
            f"invitation, open {WHERE}.",
        ),
    ],
    "accepted": [
        (
            "owner",
            "Trusted contact added",
            "{contact} is now a trusted contact for your account and may start a recovery "
            f"of it. You will be told by mail if they do. Manage your contacts in {WHERE}.",
        )
    ],
    "denied": [
        (
            "owner",
            "Legacy invite rejected",
            "{contact} declined to be a trusted contact for your account.",
        )
    ],
    "left": [
        (
            "owner",
            "Trusted contact removed",
            "{contact} removed themselves from your trusted contacts. "
            "They can no longer recover your account.",
        )
    ],
    "revoked": [
        (
            "contact",
            "Legacy account access removed",
            "{owner} removed you from their trusted contacts. "
            "You can no longer recover their account.",
        )
    ],
    "recovery_started": [
        (
            "owner",
            "Ente account recovery initiated",
            "{contact}, one of your trusted contacts, started a recovery of your account. "
            "Unless you block it, they will be able to set a new password for your account, "
            "and so get into it, in {days}.\n\n"
            f"If you did not expect this, block the recovery in {WHERE}.",
        )
    ],
    "recovery_reminder": [
        (
            "owner",
            "Ente account recovery due",
            "A reminder: {contact} is recovering your account. Unless you block it, they "
            "will be able to set a new password for your account in {days}.\n\n"
            f"If you did not expect this, block the recovery in {WHERE}.",
        )
    ],
    "recovery_ready": [
        (
            "contact",
            "Ente account recoverable",
            "You can now recover the account of {owner}: open "
            f"{WHERE}, and choose a new password for their account.",
        ),
        (
            "owner",
            "Ente account recoverable",
            "{contact} can now set a new password for your account and get into it.\n\n"
            f"If you did not expect this, you can still block the recovery in {WHERE}.",
        ),
    ],
    "recovery_rejected": [
        (
            "contact",
            "Ente account recovery blocked",
            "{owner} blocked your recovery of their account.",
        )
    ],
    "recovery_stopped": [
        (
            "owner",
            "Ente account recovery cancelled",
            "{contact} cancelled the recovery of your account they had started.",
        )
    ],
    "recovered": [
        (
            "owner",
            "Ente account password reset",
            "{contact}, your trusted contact, set a new password for your account and can "
            "now get into it. Your devices were signed out and two-factor authentication "
            "was turned off.",
        ),
        (
            "contact",
            "Ente account recovery successful",
            "You set a new password for the account of {owner}. Sign in to it with their "
            "e-mail address and that password.",
        ),
    ],
}


def _days(days: int | None) -> str:
    if days is None:
        return "a few days"
    return f"{days} day" if days == 1 else f"{days} days"


def mails(event: Event, *, owner: str, contact: str, days_left: int | None = None) -> list[Email]:
    fields = {"owner": owner, "contact": contact, "days": _days(days_left)}
    return [
        Email(to=fields[role], subject=subject, text=body.format(**fields))
        for role, subject, body in _MAILS[event]
    ]


def send(
    outbox: Outbox, event: Event, *, owner: User, contact: User, days_left: int | None = None
) -> None:
    """Mail both parties' current addresses; a deleted account (no address) is not mailed."""
    for email in mails(
        event, owner=owner.email or "", contact=contact.email or "", days_left=days_left
    ):
        if email.to:
            outbox.send(email)
