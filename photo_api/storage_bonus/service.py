"""Rules of referrals on a self-hosted server: there are none.

museum runs the same referral program self-hosted: each user gets a code, and whoever applies
one gets 10 GiB. Here storage is what the admin grants, so no code exists, none can be applied,
and the mobile app shows its own "referrals are paused" screen (planInfo.isEnabled false) with
an empty bonus history.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from photo_api.errors import ApiError, bad_request
from photo_api.users.service import require_user

# museum's constant plan, sent even when paused so the app's screens have their numbers.
PLAN_INFO = {
    "isEnabled": False,
    "planType": "10_GB_ON_UPGRADE",
    "storageInGB": 10,
    "maxClaimableStorageInGB": 2000,
}


def referral_view(session: Session, *, user_id: int) -> dict[str, Any]:
    user = require_user(session, user_id)
    is_family_member = user.family_admin_id is not None and user.family_admin_id != user_id
    return {
        "planInfo": PLAN_INFO,
        "code": "",
        "enableApplyCode": False,
        "hasAppliedCode": False,
        "claimedStorage": 0,
        "isFamilyMember": is_family_member,
        "codeChangeAttempts": 0,
        "remainingCodeChangeAttempts": 0,
    }


def details() -> dict[str, Any]:
    return {
        "referralStats": [],
        "bonuses": [],
        "refCount": 0,
        "refUpgradeCount": 0,
        "hasAppliedCode": False,
    }


def claim_refusal(*, code: str) -> ApiError:
    """museum's answer to a code nobody holds, which on this server is every code."""
    if not code:
        return bad_request("code is required")
    return ApiError(404, "INVALID_CODE", "Invalid code")


def no_referral_codes() -> ApiError:
    # The app says "code unavailable" on a 400.
    return bad_request("referral codes are not available on this server")
