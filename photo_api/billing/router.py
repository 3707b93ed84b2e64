"""Billing endpoints, answered as a self-hosted museum does: a free plan, no store, no Stripe.

The Stripe routes stay served so that the apps get museum's self-hosted 4xx instead of a 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from photo_api.auth import jwts
from photo_api.auth.deps import CurrentUser, SettingsDep, presented_token
from photo_api.billing import service
from photo_api.billing.schemas import UpdateStripeSubscriptionRequest, VerifySubscriptionRequest
from photo_api.db.session import SessionDep
from photo_api.errors import MiddlewareError, not_found
from photo_api.routing import with_slash_twin
from photo_api.users import service as users

router = APIRouter(tags=["billing"])


def payment_caller(request: Request) -> int:
    """The user a payment JWT (from GET /users/payment-token) was issued to."""
    try:
        claims = jwts.decode_user_claims(
            presented_token(request) or "",
            secret=request.app.state.settings.keys.raw("jwt_secret"),
            scope=service.PAYMENT_SCOPE,
        )
    except jwts.InvalidJwt as exc:
        raise MiddlewareError(401, "invalid token") from exc
    return int(claims["userID"])


PaymentCaller = Annotated[int, Depends(payment_caller)]


@router.get("/billing/plans/v2")
def plans(settings: SettingsDep) -> dict[str, Any]:
    return service.plans(settings)


# The mobile app's plan page asks with a trailing slash.
@with_slash_twin(router.get, "/billing/user-plans")
def user_plans(caller: CurrentUser, settings: SettingsDep) -> dict[str, Any]:
    return service.plans(settings)


@router.get("/billing/subscription")
def subscription(caller: CurrentUser, session: SessionDep) -> dict[str, Any]:
    return {"subscription": users.subscription(session, user_id=caller.user_id)}


@router.post("/billing/verify-subscription")
def verify_subscription(
    body: VerifySubscriptionRequest, caller: CurrentUser, session: SessionDep
) -> dict[str, Any]:
    """Sent by every new mobile account that continues on the free plan."""
    return {
        "subscription": service.verify_subscription(
            session, user_id=caller.user_id, product_id=body.productID
        )
    }


@router.get("/users/payment-token")
def payment_token(caller: CurrentUser, settings: SettingsDep) -> dict[str, str]:
    return {"paymentToken": service.payment_token(settings, user_id=caller.user_id)}


# No user of this server is a Stripe subscriber: museum refuses these with a 400.
@router.get("/billing/stripe/customer-portal")
def stripe_customer_portal(caller: CurrentUser) -> dict[str, Any]:
    raise service.nothing_for_sale()


@router.post("/billing/stripe/cancel-subscription")
def stripe_cancel_subscription(caller: CurrentUser) -> dict[str, Any]:
    raise service.nothing_for_sale()


@router.post("/billing/stripe/activate-subscription")
def stripe_activate_subscription(caller: CurrentUser) -> dict[str, Any]:
    raise service.nothing_for_sale()


# The payments web page's calls, with the payment JWT.
@router.get("/billing/stripe/checkout-session")
def stripe_checkout_session(user_id: PaymentCaller) -> dict[str, Any]:
    raise service.nothing_for_sale()


@router.post("/billing/stripe/update-subscription")
def stripe_update_subscription(
    body: UpdateStripeSubscriptionRequest, user_id: PaymentCaller
) -> dict[str, Any]:
    # museum looks the product up among its Stripe prices first, and has none.
    raise not_found(f"no plan {body.productID!r} on this server")


@router.get("/billing/stripe-account-country")
def stripe_account_country(user_id: PaymentCaller) -> dict[str, str]:
    return {"stripeAccountCountry": service.DEFAULT_STRIPE_COUNTRY}
