"""POST /push/token: the iOS app registers its device at start-up."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from photo_api.auth.deps import CurrentUser
from photo_api.db.session import SessionDep
from photo_api.push import service
from photo_api.push.schemas import PushTokenRequest

router = APIRouter(tags=["push"])


@router.post("/push/token")
def register_token(
    body: PushTokenRequest, caller: CurrentUser, session: SessionDep
) -> dict[str, Any]:
    service.register(
        session, user_id=caller.user_id, fcm_token=body.fcmToken, apns_token=body.apnsToken
    )
    return {}
