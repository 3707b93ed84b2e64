"""Every table, one module per domain. Importing this package registers them all on Base."""

from photo_api.models.accounts import (
    KeyAttributes,
    Ott,
    RateLimitCounter,
    RemoteStoreEntry,
    SrpAuth,
    SrpSession,
    SrpSetup,
    Subscription,
    TempTwoFactor,
    Token,
    TwoFactor,
    TwoFactorSession,
    TwoFactorUsedCode,
    Usage,
    User,
)

__all__ = [
    "KeyAttributes",
    "Ott",
    "RateLimitCounter",
    "RemoteStoreEntry",
    "SrpAuth",
    "SrpSession",
    "SrpSetup",
    "Subscription",
    "TempTwoFactor",
    "Token",
    "TwoFactor",
    "TwoFactorSession",
    "TwoFactorUsedCode",
    "Usage",
    "User",
]
