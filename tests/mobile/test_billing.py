"""Billing as a self-hosted museum answers it: the free plan confirmed, nothing for sale."""

from __future__ import annotations

import time

import jwt

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient

NOTHING_FOR_SALE = 400


def test_continuing_on_the_free_plan(account: Account) -> None:
    # What every new mobile account sends from the plan page after setting its password.
    response = account.client.post(
        "/billing/verify-subscription",
        json={"paymentProvider": "ente", "productID": "free", "verificationData": ""},
    )
    assert response.status_code == 200, response.text
    verified = response.json()["subscription"]
    stored = account.client.get("/billing/subscription").json()["subscription"]
    # museum's verify answer leaves price and period empty; the rest is the stored plan.
    assert verified == {**stored, "price": "", "period": ""}
    assert stored["period"] == "year"
    assert verified["productID"] == "free" and verified["userID"] == account.client.user_id
    assert set(verified) >= {
        "productID",
        "storage",
        "originalTransactionID",
        "paymentProvider",
        "expiryTime",
        "price",
        "period",
        "attributes",
    }


def test_purchases_cannot_be_verified(account: Account) -> None:
    for provider, product in (
        ("playstore", "com.ente.photos.50gb"),
        ("appstore", "50gb_yearly"),
        ("stripe", "price_1"),
        ("", ""),
        ("ente", "200gb"),
    ):
        response = account.client.post(
            "/billing/verify-subscription",
            json={
                "paymentProvider": provider,
                "productID": product,
                "verificationData": "receipt",
            },
        )
        assert response.status_code == NOTHING_FOR_SALE, (provider, response.text)
        assert response.json()["code"] == "BAD_REQUEST"
    assert account.client.post("/billing/verify-subscription", content=b"{").status_code == 400
    after = account.client.get("/billing/subscription").json()["subscription"]
    assert after["productID"] == "free"


def test_stripe_page_calls_are_refused(account: Account) -> None:
    portal = account.client.get(
        "/billing/stripe/customer-portal",
        params={"redirectURL": "https://payments.ente.com/frameRedirect"},
    )
    assert portal.status_code == NOTHING_FOR_SALE, portal.text
    for action in ("cancel-subscription", "activate-subscription"):
        response = account.client.post(f"/billing/stripe/{action}")
        assert response.status_code == NOTHING_FOR_SALE, (action, response.text)
        assert response.json()["code"] == "BAD_REQUEST"


def test_payment_token_and_the_payment_page_routes(server: RunningServer, account: Account) -> None:
    response = account.client.get("/users/payment-token")
    assert response.status_code == 200, response.text
    token = response.json()["paymentToken"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["userID"] == account.client.user_id and claims["claimScope"] == "PAYMENT"
    assert claims["expiryTime"] > time.time() * 1e6 + 23 * 3600 * 1e6

    # The payments web page sends it in X-Auth-Token.
    page = EnteClient(server.url, package="io.ente.payments.web", token=token)
    assert page.get("/billing/stripe-account-country").json() == {"stripeAccountCountry": "US"}
    checkout = page.get(
        "/billing/stripe/checkout-session",
        params={"productID": "price_1", "redirectURL": "https://payments.ente.com"},
    )
    assert checkout.status_code == NOTHING_FOR_SALE, checkout.text
    update = page.post("/billing/stripe/update-subscription", json={"productID": "price_1"})
    assert update.status_code == 404 and update.json()["code"] == "NOT_FOUND"

    # A session token is not a payment token, nor is another scope's JWT.
    families = account.client.get("/users/families-token").json()["familiesToken"]
    for wrong in (account.client.token, families, token[:-2]):
        refused = EnteClient(server.url, token=wrong).get("/billing/stripe-account-country")
        assert (refused.status_code, refused.json()) == (401, {"error": "invalid token"})


def test_plans(server: RunningServer, account: Account) -> None:
    plans = account.client.get("/billing/user-plans").json()
    assert plans == {
        "plans": [],
        "freePlan": {
            "storage": server.settings.default_quota_bytes,
            "duration": 100,
            "period": "year",
        },
    }
    assert EnteClient(server.url).get("/billing/plans/v2").json() == plans
