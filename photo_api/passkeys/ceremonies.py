"""WebAuthn responses verified by py_webauthn: challenge, origin, RP id, signature, counter."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

from webauthn import verify_authentication_response, verify_registration_response
from webauthn.helpers import parse_authentication_credential_json
from webauthn.helpers.cose import COSEAlgorithmIdentifier
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import AuthenticationCredential

from photo_api.passkeys.schemas import ALGORITHMS

# What the library's parsers raise, besides its own exceptions, on input that is not what it
# claims to be (bad base64, CBOR, lengths…): all of it the client's fault, never a 500.
MALFORMED = (WebAuthnException, ValueError, TypeError, KeyError, IndexError, struct.error)
SUPPORTED_ALGORITHMS = [COSEAlgorithmIdentifier(alg) for alg in ALGORITHMS]
MAX_TRANSPORTS, MAX_TRANSPORT_LENGTH = 8, 32


class CeremonyFailed(Exception):
    """The response does not prove what it should; the message says why (for logs)."""


@dataclass(frozen=True, slots=True)
class NewCredential:
    credential_id: bytes
    public_key: bytes
    sign_count: int
    aaguid: str
    transports: list[str]


def verify_registration(
    body: dict[str, Any], *, challenge: bytes, rp_id: str, origins: list[str]
) -> NewCredential:
    try:
        verified = verify_registration_response(
            credential=body,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origins,
            supported_pub_key_algs=SUPPORTED_ALGORITHMS,
        )
    except MALFORMED as exc:
        raise CeremonyFailed(str(exc)) from exc
    return NewCredential(
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        aaguid=verified.aaguid,
        transports=_transports(body),
    )


def _transports(body: dict[str, Any]) -> list[str]:
    """What the browser said (getTransports()), kept as given but bounded: they go back to
    browsers in allowCredentials, where unknown ones are ignored."""
    response = body.get("response")
    given = response.get("transports") if isinstance(response, dict) else None
    if not isinstance(given, list):
        return []
    return [t[:MAX_TRANSPORT_LENGTH] for t in given if isinstance(t, str) and t][:MAX_TRANSPORTS]


def parse_assertion(body: dict[str, Any]) -> AuthenticationCredential:
    try:
        return parse_authentication_credential_json(body)
    except MALFORMED as exc:
        raise CeremonyFailed(str(exc)) from exc


def verify_assertion(
    credential: AuthenticationCredential,
    *,
    challenge: bytes,
    rp_id: str,
    origins: list[str],
    public_key: bytes,
    sign_count: int,
) -> int:
    """The authenticator's new signature counter, once the assertion is proven.

    A counter that did not increase (when the authenticator keeps one) is refused, as the
    library does: it is the sign of a cloned authenticator or a replayed response.
    """
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origins,
            credential_public_key=public_key,
            credential_current_sign_count=sign_count,
        )
    except MALFORMED as exc:
        raise CeremonyFailed(str(exc)) from exc
    return verified.new_sign_count
