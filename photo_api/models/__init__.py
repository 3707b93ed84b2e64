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
from photo_api.models.cast import CastSession
from photo_api.models.contacts import Contact
from photo_api.models.legacy import EmergencyContact, EmergencyRecovery
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
from photo_api.models.memory_share import MemoryShare, MemoryShareFile
from photo_api.models.mobile import PushToken
from photo_api.models.operations import JobLease, ServerIdentity
from photo_api.models.passkeys import (
    Passkey,
    PasskeyLoginSession,
    PasskeyRecovery,
    WebauthnCeremony,
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
    "CastSession",
    "Collection",
    "CollectionFile",
    "CollectionShare",
    "Comment",
    "Contact",
    "EmergencyContact",
    "EmergencyRecovery",
    "Entity",
    "EntityKey",
    "FamilyMember",
    "File",
    "FileData",
    "JobLease",
    "KeyAttributes",
    "LinkDevice",
    "MemoryShare",
    "MemoryShareFile",
    "ObjectCopy",
    "Ott",
    "Passkey",
    "PasskeyLoginSession",
    "PasskeyRecovery",
    "PublicCollectionLink",
    "PublicFileLink",
    "PushToken",
    "RateLimitCounter",
    "Reaction",
    "RemoteStoreEntry",
    "ServerIdentity",
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
    "WebauthnCeremony",
]
