"""AdminUser: a valid session whose user is an admin; FreshAdminUser: with a recent token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from photo_api.admin import service
from photo_api.auth.deps import Caller, CurrentUser, SettingsDep
from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.db.session import SessionDep
from photo_api.errors import ApiError, MiddlewareError

# museum asks for a token minted in the last 10 minutes before the most damaging actions,
# so that a stolen, long-lived admin token cannot list, delete or unlock accounts.
FRESH_TOKEN_US = 10 * 60 * MICROS_PER_SECOND


def admin_caller(caller: CurrentUser, session: SessionDep, settings: SettingsDep) -> Caller:
    if not service.is_admin(session, settings=settings, user_id=caller.user_id):
        raise MiddlewareError(401, "insufficient permissions")
    return caller


def fresh_admin_caller(caller: Annotated[Caller, Depends(admin_caller)]) -> Caller:
    if now_us() - caller.token_created_at >= FRESH_TOKEN_US:
        raise ApiError(400, "BAD_REQUEST", "Token is too old")
    return caller


AdminUser = Annotated[Caller, Depends(admin_caller)]
FreshAdminUser = Annotated[Caller, Depends(fresh_admin_caller)]
