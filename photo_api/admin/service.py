"""Rules of the admin actions, shared by the /admin API and the `photo-api admin` commands.

Every action is logged with who did it: an admin's user id, or "cli" for the command line
(whoever can run it already holds the database).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from typing import Any

import structlog
from sqlalchemy.orm import Session

from photo_api.admin import repo
from photo_api.auth import repo as auth_repo
from photo_api.auth.apps import App
from photo_api.auth.tokens import token_hash
from photo_api.clock import now_us
from photo_api.config import Settings
from photo_api.errors import ApiError, bad_request, not_found
from photo_api.login import ott, twofactor
from photo_api.login import password as password_login
from photo_api.login.sessions import HANDLE_PREFIX
from photo_api.mail import Email, MailError, Outbox
from photo_api.models import Subscription, Token, User
from photo_api.passkeys import service as passkeys
from photo_api.users import deletion
from photo_api.users import repo as users_repo
from photo_api.users import service as users

log = structlog.get_logger("photo_api.admin")


def _audit(action: str, *, admin_id: int | None, **target: Any) -> None:
    log.info(
        "admin action", action=action, admin_id="cli" if admin_id is None else admin_id, **target
    )


def is_admin(session: Session, *, settings: Settings, user_id: int) -> bool:
    """museum's rule: the configured ids, or else the first registered user."""
    if settings.admins:
        return user_id in settings.admins
    return users_repo.first_user_id(session) == user_id


def admins(session: Session, *, settings: Settings) -> list[tuple[int, str | None]]:
    """The admins' ids with their emails (None: no such live account)."""
    ids = settings.admins or [
        user_id for user_id in [users_repo.first_user_id(session)] if user_id is not None
    ]
    found = [(user_id, users_repo.get_user(session, user_id)) for user_id in ids]
    return [
        (user_id, user.email if user is not None and user.deleted_at is None else None)
        for user_id, user in found
    ]


def user_not_found() -> ApiError:
    return ApiError(404, "USER_NOT_FOUND", "user not found")


def find_user(session: Session, *, email: str | None = None, user_id: int | None = None) -> User:
    """A live account by email (normalised) or by id."""
    if email:
        user = users_repo.user_by_email(session, users.normalize_email(email))
    elif user_id is not None:
        user = users_repo.get_user(session, user_id)
    else:
        raise bad_request("email or id is required")
    if user is None or user.deleted_at is not None or user.email is None:
        raise user_not_found()
    return user


def _require_user(session: Session, user_id: int) -> User:
    return find_user(session, user_id=user_id)


@dataclass(frozen=True, slots=True)
class UserOverview:
    user: User
    subscription: Subscription | None
    usage: int
    tokens: list[Token]
    details: dict[str, Any]

    @property
    def active_sessions(self) -> int:
        return sum(1 for token in self.tokens if not token.is_deleted)


def list_users(session: Session, *, admin_id: int | None, since: int) -> list[User]:
    _audit("list-users", admin_id=admin_id, since=since)
    return users_repo.list_users(session, since=since)


@dataclass(frozen=True, slots=True)
class AccountSummary:
    user: User
    usage: int
    quota: int | None
    files: int
    admin: bool


def list_accounts(session: Session, *, settings: Settings) -> list[AccountSummary]:
    """Every live account with its usage, quota, file count and whether it is an admin."""
    _audit("list-users", admin_id=None, since=0)
    totals = repo.account_totals(session)
    admin_ids = {user_id for user_id, _ in admins(session, settings=settings)}
    return [
        AccountSummary(user, *totals.get(user.id, (0, None, 0)), admin=user.id in admin_ids)
        for user in users_repo.list_users(session, since=0)
    ]


def overview(session: Session, *, admin_id: int | None, user: User) -> UserOverview:
    _audit("show-user", admin_id=admin_id, user_id=user.id)
    return UserOverview(
        user=user,
        subscription=users_repo.subscription(session, user.id),
        usage=users_repo.usage(session, user.id),
        tokens=repo.user_tokens(session, user_id=user.id),
        details=users.details(session, user_id=user.id, memory_count=False, file_count=0),
    )


def update_subscription(
    session: Session,
    *,
    admin_id: int | None,
    user_id: int,
    storage: int,
    transaction_id: str,
    product_id: str,
    expiry_time: int,
    payment_provider: str = "",
    attributes: dict[str, Any] | None = None,
) -> Subscription:
    """museum replaces the plan in place; here that is the user's one subscription row."""
    _require_user(session, user_id)
    sub = users_repo.subscription(session, user_id)
    before = sub.storage if sub else None
    fields = {
        "storage": storage,
        "original_transaction_id": transaction_id,
        "product_id": product_id,
        "expiry_time": expiry_time,
        "payment_provider": payment_provider,
        "attributes": attributes or {},
    }
    if sub is None:
        sub = Subscription(user_id=user_id, upgraded_at=0, **fields)
        users_repo.add_subscription(session, sub)
    else:
        for name, value in fields.items():
            setattr(sub, name, value)
        session.flush()
    _audit(
        "update-subscription",
        admin_id=admin_id,
        user_id=user_id,
        storage_before=before,
        storage=storage,
        product_id=product_id,
        expiry_time=expiry_time,
        transaction_id=transaction_id,
    )
    return sub


@dataclass(frozen=True, slots=True)
class QuotaChange:
    before: int
    after: int
    usage: int


def set_quota(session: Session, *, admin_id: int | None, user_id: int, storage: int) -> QuotaChange:
    """Change only the storage of the user's plan."""
    if storage < 0:
        raise bad_request("storage must not be negative")
    _require_user(session, user_id)
    sub = users_repo.subscription(session, user_id)
    if sub is None:
        raise not_found("no subscription")
    before, sub.storage = sub.storage, storage
    session.flush()
    _audit("set-quota", admin_id=admin_id, user_id=user_id, storage_before=before, storage=storage)
    return QuotaChange(before=before, after=storage, usage=users_repo.usage(session, user_id))


def disable_two_factor(session: Session, *, admin_id: int | None, user_id: int) -> bool:
    """Turn TOTP off; False when it was not on (nothing changed)."""
    user = _require_user(session, user_id)
    if not user.is_two_factor_enabled:
        return False
    twofactor.disable(session, user_id=user_id)
    _audit("disable-2fa", admin_id=admin_id, user_id=user_id)
    return True


def disable_passkeys(session: Session, *, admin_id: int | None, user_id: int) -> int:
    """Remove every passkey of a user who lost them all and their recovery key."""
    _require_user(session, user_id)
    removed = passkeys.remove_all(session, user_id=user_id)
    _audit("disable-passkeys", admin_id=admin_id, user_id=user_id, removed=removed)
    return removed


def set_email_mfa(session: Session, *, admin_id: int | None, user_id: int, enabled: bool) -> None:
    _require_user(session, user_id)
    users.set_email_mfa(session, user_id=user_id, enabled=enabled)
    _audit("update-email-mfa", admin_id=admin_id, user_id=user_id, enabled=enabled)


async def send_mail(
    *,
    outbox: Outbox,
    admin_id: int | None,
    to: list[str],
    from_name: str,
    from_email: str,
    subject: str,
    html: str,
) -> None:
    """One mail per recipient, sent while the admin waits, so the answer says whether it went.

    museum answers 200 and drops the mail when no SMTP is configured; `ente admin send-mail`
    is how an admin tests the mail setup, so that is a 503 here. The From address is the
    server's own (SMTP servers refuse or mark as spoofed any other); the one asked for
    becomes the Reply-To.
    """
    if not outbox.has_smtp:
        raise ApiError(
            503, "SMTP_NOT_CONFIGURED", "no SMTP server is configured (smtp.host): mail not sent"
        )
    _audit("send-mail", admin_id=admin_id, to=to, subject=subject)
    try:
        reply_to = str(Address(display_name=from_name, addr_spec=from_email))
    except ValueError as exc:  # e.g. a non-ASCII local part, which mail headers cannot carry
        raise bad_request(f"fromEmail: {exc}") from exc
    for sent, recipient in enumerate(to):
        email = Email(to=recipient, subject=subject, text=html, html=True, reply_to=reply_to)
        try:
            await outbox.send_now(email)
        except MailError as exc:
            if exc.recipient_refused:
                raise bad_request(f"Invalid email {recipient}") from exc
            raise ApiError(
                502, "MAIL_NOT_SENT", f"sent to {sent} of {len(to)}; {recipient}: {exc}"
            ) from exc


def terminate_session(session: Session, *, admin_id: int | None, user_id: int, token: str) -> None:
    _require_user(session, user_id)
    handle = token.removeprefix(HANDLE_PREFIX)
    if token.startswith(HANDLE_PREFIX) and handle.isdigit():
        row = auth_repo.token_by_id(session, token_id=int(handle), user_id=user_id)
    else:
        row = auth_repo.token_by_hash(session, token_hash=token_hash(token), user_id=user_id)
    # museum answers 200 whatever the token; saying so tells the admin they mistyped it.
    if row is None or row.is_deleted:
        raise not_found("no such session")
    auth_repo.revoke_tokens(session, user_id=user_id, token_ids=[row.id])
    _audit("terminate-session", admin_id=admin_id, user_id=user_id, token_id=row.id)


def delete_user(
    session: Session, *, settings: Settings, outbox: Outbox, admin_id: int | None, email: str
) -> dict[str, Any]:
    user = find_user(session, email=email)
    if user.id == admin_id:
        # Deleting oneself here would leave the server without its admin.
        raise bad_request("admins cannot delete their own account here")
    result = deletion.erase_account(
        session,
        settings=settings,
        outbox=outbox,
        user_id=user.id,
        reason="deleted by an admin",
        feedback=None,
    )
    _audit("delete-user", admin_id=admin_id, user_id=user.id)
    return result


def add_ott(
    session: Session,
    *,
    settings: Settings,
    admin_id: int | None,
    email: str,
    code: str,
    app: App,
    expiry_time: int,
) -> None:
    """A login code for that email, as if it had been mailed (museum: for support cases)."""
    now = now_us()
    if expiry_time <= now:
        raise bad_request("expiryTime must be in the future")
    email = users.normalize_email(email)
    if "@" not in email:
        raise bad_request("invalid email")
    ott.store(session, settings=settings, email=email, app=app, code=code, expires_at=expiry_time)
    _audit("add-ott", admin_id=admin_id, email=email, app=app, expiry_time=expiry_time)


def update_flag(
    session: Session, *, admin_id: int | None, user_id: int, key: str, value: str
) -> None:
    _require_user(session, user_id)
    users.update_remote_value(session, user_id=user_id, key=key, value=value, as_admin=True)
    _audit("update-flag", admin_id=admin_id, user_id=user_id, key=key, value=value)


def set_password(session: Session, *, admin_id: int | None, user_id: int, password: str) -> None:
    """The seed's server-side login password (not the Ente encryption password)."""
    _require_user(session, user_id)
    password_login.set_password(session, user_id=user_id, password=password)
    _audit("set-password", admin_id=admin_id, user_id=user_id)
