"""Wire JSON of the passkey routes, and WebAuthn options in the shape museum's library sends.

museum's options are go-webauthn's: binary values base64url without padding, wrapped in
{"publicKey": …}. py_webauthn's own serialisation differs (no wrapper, other defaults), so
the accounts app's dictionaries are built here.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field
from webauthn.helpers import bytes_to_base64url

from photo_api.models import Passkey
from photo_api.wire import B64, NonEmpty, WireModel

RP_NAME = "Ente"
REGISTRATION_TIMEOUT_MS = 5 * 60 * 1000
LOGIN_TIMEOUT_MS = 2 * 60 * 1000
# COSE algorithms py_webauthn verifies, most preferred first. It has no ES384 (-35), which
# museum also offers: an authenticator offered nothing it cannot use picks another.
ALGORITHMS = [-7, -8, -257, -36, -37, -38, -39, -258, -259]


class BeginLoginRequest(WireModel):
    sessionID: NonEmpty


class ConfigureRecoveryRequest(WireModel):
    # The client's 32 random bytes in base64; compared as the string it sent.
    secret: str = Field(min_length=1, max_length=256)
    userSecretCipher: B64
    userSecretNonce: B64


def passkey_out(passkey: Passkey) -> dict[str, Any]:
    return {
        "id": passkey.id,
        "userID": passkey.user_id,
        "friendlyName": passkey.friendly_name,
        "createdAt": passkey.created_at,
    }


def user_handle(user_id: int) -> bytes:
    """museum's WebAuthn user id: the user id as 8 big-endian bytes."""
    return user_id.to_bytes(8, "big", signed=True)


def registration_options(
    *, rp_id: str, user_id: int, email: str, challenge: bytes
) -> dict[str, Any]:
    # No excludeCredentials: the accounts app does not decode its ids, and the browser would
    # refuse them as strings. A passkey registered twice is refused at finish instead.
    return {
        "publicKey": {
            "rp": {"name": RP_NAME, "id": rp_id},
            "user": {
                "name": email,
                "displayName": email,
                "id": bytes_to_base64url(user_handle(user_id)),
            },
            "challenge": bytes_to_base64url(challenge),
            "pubKeyCredParams": [{"type": "public-key", "alg": alg} for alg in ALGORITHMS],
            "timeout": REGISTRATION_TIMEOUT_MS,
            "authenticatorSelection": {
                "requireResidentKey": False,
                "userVerification": "preferred",
            },
        }
    }


def assertion_options(*, rp_id: str, challenge: bytes, passkeys: list[Passkey]) -> dict[str, Any]:
    allowed = []
    for passkey in passkeys:
        descriptor: dict[str, Any] = {
            "type": "public-key",
            "id": bytes_to_base64url(passkey.credential_id),
        }
        # museum sends [""] when none were recorded; an absent key is what browsers expect.
        if passkey.transports:
            descriptor["transports"] = passkey.transports
        allowed.append(descriptor)
    return {
        "publicKey": {
            "challenge": bytes_to_base64url(challenge),
            "timeout": LOGIN_TIMEOUT_MS,
            "rpId": rp_id,
            "allowCredentials": allowed,
            "userVerification": "preferred",
        }
    }
