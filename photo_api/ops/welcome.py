"""What a new operator needs to know to connect an Ente app: printed when the server starts,
and served at GET / as a small page with the health of each dependency.

The page is public, so it leaves out what only the operator should see (emails, paths, the
database URL); the banner goes to the server's own output.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from photo_api import __version__
from photo_api.admin import service as admin_service
from photo_api.config import Settings
from photo_api.db.session import Database
from photo_api.ops.startup import ANY_ADDRESS, database_label
from photo_api.storage.local import LocalStore
from photo_api.storage.registry import Stores
from photo_api.storage.s3 import S3Store

CONNECT = (
    "In the Ente app (web, desktop or mobile), tap the welcome screen 7 times to open "
    "Developer settings, and enter {url} as the server endpoint."
)


@dataclass(frozen=True, slots=True)
class Facts:
    url: str
    listening: str
    only_this_machine: bool
    mail_server: str | None
    registration_open: bool
    admins: list[tuple[int, str | None]]
    admins_configured: bool
    database: str
    storage: list[tuple[str, bool, str]]  # name, hot, where


def facts(settings: Settings, db: Database, stores: Stores) -> Facts:
    with db.session(write=False) as session:
        admins = admin_service.admins(session, settings=settings)
    host = settings.host
    return Facts(
        url=settings.base_url,
        listening=f"{host}:{settings.port}",
        only_this_machine=host in ("127.0.0.1", "localhost", "::1"),
        mail_server=f"{settings.smtp.host}:{settings.smtp.port}" if settings.smtp.host else None,
        registration_open=not settings.disable_registration,
        admins=admins,
        admins_configured=bool(settings.admins),
        database=database_label(settings),
        storage=[(name, name == stores.hot_name, _where(store)) for name, store in stores],
    )


def _where(store: object) -> str:
    if isinstance(store, LocalStore):
        return str(store.root)
    if isinstance(store, S3Store):
        return f"S3 bucket {store.bucket}"
    return type(store).__name__


def _codes(facts: Facts, *, public: bool) -> str:
    if facts.mail_server is not None:
        return f"sent by email through {facts.mail_server}"
    where = "the server's log" if public else "this log"
    return (
        f"no mail server is configured: each code is written to {where} as "
        "'Verification code for EMAIL: CODE'"
    )


def _admin(facts: Facts, *, public: bool) -> str:
    if not facts.admins:
        return "none yet: the first account to sign up becomes the admin"
    if public:
        return "set by the server's settings" if facts.admins_configured else "the first account"
    named = ", ".join(
        f"{email} (id {user_id})" if email else f"id {user_id} (no such account)"
        for user_id, email in facts.admins
    )
    return named + ("" if facts.admins_configured else ", the first account to sign up")


def banner(facts: Facts, *, warnings: list[str]) -> str:
    lines = [
        f"Photo API {__version__} is serving at {facts.url}",
        "",
        "  " + CONNECT.format(url=facts.url),
        f"  Sign-up codes: {_codes(facts, public=False)}.",
        f"  Sign-ups: {'open' if facts.registration_open else 'closed (disable_registration)'}.",
        f"  Admin: {_admin(facts, public=False)}.",
        f"  Database: {facts.database}",
        *(
            f"  Storage {name}{' (uploads go here)' if hot else ''}: {where}"
            for name, hot, where in facts.storage
        ),
        f"  This page in a browser: {facts.url}/",
    ]
    if facts.only_this_machine:
        lines.append(
            f"  Listening on {facts.listening}: only this machine can connect. For phones and "
            "other computers: --host 0.0.0.0 and public_url: http://<this machine's address>:"
            f"{facts.listening.rsplit(':', 1)[1]}"
        )
    elif facts.listening.rsplit(":", 1)[0] in ANY_ADDRESS:
        lines.append(f"  Listening on all addresses, port {facts.listening.rsplit(':', 1)[1]}.")
    lines += [f"  Warning: {warning}" for warning in warnings]
    return "\n".join(lines)


def page(facts: Facts, health: dict[str, Any]) -> str:
    services = health["services"]
    rows = [("database", services["database"])]
    rows += [(f"storage {name}", state) for name, state in services["storage"].items()]
    if "smtp" in services:
        rows.append(("mail server", services["smtp"]))
    table = "\n".join(
        f"<tr><td>{escape(name)}</td><td class={escape(state)}>{escape(state)}</td></tr>"
        for name, state in rows
    )
    url = escape(facts.url)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Photo API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem}}
code{{background:#f2f2f2;padding:0 .3em}} td{{padding:.1em 1em .1em 0}}
.ok{{color:#070}} .error,.timeout{{color:#b00}}</style></head>
<body>
<h1>Photo API {escape(__version__)}</h1>
<p>This server speaks the API of <a href="https://ente.io">Ente</a>'s photo storage.
{escape(CONNECT.format(url="URL")).replace("URL", f"<code>{url}</code>", 1)}</p>
<ul>
<li>Sign-up codes: {escape(_codes(facts, public=True))}.</li>
<li>Sign-ups: {"open" if facts.registration_open else "closed"}.</li>
<li>Admin: {escape(_admin(facts, public=True))}.</li>
</ul>
<h2>Health: {escape(health["status"])}</h2>
<table>
{table}
</table>
<p><a href="/healthz">/healthz</a> · <a href="/ping">/ping</a> · <a href="/version">/version</a></p>
</body></html>
"""
