"""AccountsUser: the user an ACCOUNTS JWT (from GET /users/accounts-token) was issued to."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from photo_api.auth import jwts
from photo_api.auth.deps import SettingsDep, presented_token
from photo_api.db.session import SessionDep
from photo_api.errors import MiddlewareError
from photo_api.users import repo as users_repo

ACCOUNTS_SCOPE = "ACCOUNTS"


def accounts_caller(request: Request, session: SessionDep, settings: SettingsDep) -> int:
    """The accounts app's pages call with this JWT only; session tokens are refused here."""
    token = presented_token(request)
    if not token:
        raise MiddlewareError(401, "missing token")
    try:
        claims = jwts.decode_user_claims(
            token, secret=settings.keys.raw("jwt_secret"), scope=ACCOUNTS_SCOPE
        )
    except jwts.InvalidJwt as exc:
        raise MiddlewareError(401, "invalid token") from exc
    user = users_repo.get_user(session, int(claims["userID"]))
    # A JWT outlives the account it was issued to if that is deleted within its 30 minutes.
    if user is None or user.deleted_at is not None or user.email is None:
        raise MiddlewareError(401, "invalid token")
    return user.id


AccountsUser = Annotated[int, Depends(accounts_caller)]
