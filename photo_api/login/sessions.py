"""Listing and revoking one's sessions (tokens)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from ua_parser import parse

from photo_api.auth import repo as auth_repo
from photo_api.auth.deps import Caller
from photo_api.auth.tokens import token_hash
from photo_api.errors import not_found
from photo_api.models import Token

# Only hashes are stored, so other sessions are named by this handle instead of their token.
HANDLE_PREFIX = "session-"


def pretty_user_agent(user_agent: str | None) -> str:
    if not user_agent:
        return "Unknown Device"
    parsed = parse(user_agent)
    agent = parsed.user_agent.family if parsed.user_agent else "Unknown"
    os = parsed.os
    os_name = " ".join(p for p in (os.family, os.major, os.minor) if p) if os else ""
    if "Electron" in user_agent or (
        "ente" in user_agent.lower() and "desktop" in user_agent.lower()
    ):
        agent = "Desktop App"
    return f"{agent}, {os_name}" if os_name else agent


def _session_out(row: Token, *, caller: Caller, current_token: str) -> dict[str, Any]:
    return {
        "id": row.id,
        # The web marks "this device" by comparing this with its own token.
        "token": current_token if row.id == caller.token_id else f"{HANDLE_PREFIX}{row.id}",
        "creationTime": row.created_at,
        "ip": row.ip or "Unknown IP",
        "ua": row.user_agent or "Unknown Device",
        "prettyUA": pretty_user_agent(row.user_agent),
        "lastUsedTime": row.last_used_at,
    }


def list_sessions(session: Session, *, caller: Caller, current_token: str) -> dict[str, Any]:
    rows = auth_repo.active_tokens(session, user_id=caller.user_id, app=caller.app)
    return {"sessions": [_session_out(r, caller=caller, current_token=current_token) for r in rows]}


def revoke_by_token(session: Session, *, caller: Caller, token: str) -> None:
    """museum's DELETE /users/session?token=: a token, or the handle we list instead."""
    if token.startswith(HANDLE_PREFIX) and token[len(HANDLE_PREFIX) :].isdigit():
        row = auth_repo.token_by_id(
            session, token_id=int(token[len(HANDLE_PREFIX) :]), user_id=caller.user_id
        )
    else:
        row = auth_repo.token_by_hash(session, token_hash=token_hash(token), user_id=caller.user_id)
    if row is not None:
        auth_repo.revoke_tokens(session, user_id=caller.user_id, token_ids=[row.id])


def revoke_by_id(session: Session, *, caller: Caller, session_id: int) -> None:
    row = auth_repo.token_by_id(session, token_id=session_id, user_id=caller.user_id)
    if row is None or row.is_deleted:
        raise not_found("no such session")
    auth_repo.revoke_tokens(session, user_id=caller.user_id, token_ids=[row.id])


def revoke_current(session: Session, *, caller: Caller) -> None:
    auth_repo.revoke_tokens(session, user_id=caller.user_id, token_ids=[caller.token_id])


def revoke_others(session: Session, *, caller: Caller) -> int:
    return auth_repo.revoke_tokens(session, user_id=caller.user_id, except_id=caller.token_id)
