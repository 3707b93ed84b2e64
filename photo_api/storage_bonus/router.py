"""/storage-bonus/*: the mobile app's Referrals and storage-details screens."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Response

from photo_api.auth.deps import CurrentUser
from photo_api.db.session import SessionDep
from photo_api.storage_bonus import service
from photo_api.storage_bonus.schemas import ChangeCodeRequest

router = APIRouter(prefix="/storage-bonus", tags=["storage-bonus"])


@router.get("/referral-view")
def referral_view(caller: CurrentUser, session: SessionDep) -> dict[str, Any]:
    return service.referral_view(session, user_id=caller.user_id)


@router.get("/details")
def details(caller: CurrentUser) -> dict[str, Any]:
    return service.details()


@router.post("/referral-claim")
def referral_claim(caller: CurrentUser, code: str = Query(default="", max_length=64)) -> Response:
    raise service.claim_refusal(code=code)


# The app sends the code both in the query and in the body; museum reads the body.
@router.post("/change-code")
def change_code(body: ChangeCodeRequest, caller: CurrentUser) -> dict[str, Any]:
    raise service.no_referral_codes()
