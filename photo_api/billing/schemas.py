"""Wire shapes of the billing calls the apps and the payments page make."""

from __future__ import annotations

from pydantic import Field

from photo_api.wire import WireModel


class VerifySubscriptionRequest(WireModel):
    """A store or Stripe purchase to verify; museum requires none of the fields."""

    paymentProvider: str = Field(default="", max_length=64)
    productID: str = Field(default="", max_length=256)
    verificationData: str = Field(default="", max_length=65536)


class UpdateStripeSubscriptionRequest(WireModel):
    productID: str = Field(default="", max_length=256)
