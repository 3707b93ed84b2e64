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
from photo_api.models.authenticator import AuthenticatorEntity, AuthenticatorKey
from photo_api.models.contacts import Contact
from photo_api.models.library import (
    Collection,
    CollectionFile,
    Entity,
    EntityKey,
    File,
    FileData,
    StoredObject,
    TrashItem,
)
from photo_api.models.sharing import (
    CollectionShare,
    FamilyMember,
    LinkDevice,
    PublicCollectionLink,
    PublicFileLink,
)
from photo_api.models.social import AnonUser, Comment, Reaction
from photo_api.models.storage import ObjectCopy

__all__ = [
    "AnonUser",
    "AuthenticatorEntity",
    "AuthenticatorKey",
    "Collection",
    "CollectionFile",
    "CollectionShare",
    "Comment",
    "Contact",
    "Entity",
    "EntityKey",
    "FamilyMember",
    "File",
    "FileData",
    "KeyAttributes",
    "LinkDevice",
    "ObjectCopy",
    "Ott",
    "PublicCollectionLink",
    "PublicFileLink",
    "RateLimitCounter",
    "Reaction",
    "RemoteStoreEntry",
    "SrpAuth",
    "SrpSession",
    "SrpSetup",
    "StoredObject",
    "Subscription",
    "TempTwoFactor",
    "Token",
    "TrashItem",
    "TwoFactor",
    "TwoFactorSession",
    "TwoFactorUsedCode",
    "Usage",
    "User",
]
