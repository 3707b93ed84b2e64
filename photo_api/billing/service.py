"""Rules of billing on a server that sells nothing: the free plan is all there is."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from photo_api.auth import jwts
from photo_api.clock import MICROS_PER_DAY
from photo_api.config import Settings
from photo_api.errors import ApiError, bad_request
from photo_api.users import service as users

FREE_PRODUCT_ID = "free"
PAYMENT_SCOPE = "PAYMENT"
# museum's answer for a subscriber outside Stripe, which every user of this server is.
DEFAULT_STRIPE_COUNTRY = "US"


def nothing_for_sale() -> ApiError:
    return bad_request("this server sells no subscriptions: it has no store or Stripe account")


def plans(settings: Settings) -> dict[str, Any]:
    return {
        "plans": [],
        "freePlan": {
            "storage": settings.default_quota_bytes,
            "duration": users.FREE_PLAN_YEARS,
            "period": "year",
        },
    }


def verify_subscription(session: Session, *, user_id: int, product_id: str) -> dict[str, Any]:
    """The free plan is confirmed as it stands; any purchase cannot be, with no store to ask.

    museum answers the Play store with a 500 (its client is absent) and Apple or Stripe after a
    failed call out; a purchase this server cannot check is the client's 400.
    """
    if product_id != FREE_PRODUCT_ID:
        raise nothing_for_sale()
    subscription = users.subscription(session, user_id=user_id)
    # museum's verify answer leaves both unset, unlike GET /billing/subscription.
    return {**subscription, "price": "", "period": ""}


def payment_token(settings: Settings, *, user_id: int) -> str:
    """museum's payment JWT; only the payment-page routes below accept it."""
    claims = jwts.user_claims(user_id=user_id, scope=PAYMENT_SCOPE, ttl_us=MICROS_PER_DAY)
    return jwts.encode(claims, secret=settings.keys.raw("jwt_secret"))
