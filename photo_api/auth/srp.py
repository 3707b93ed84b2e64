"""Server side of the SRP-6a variant that Ente's clients speak.

The proofs are node-srp's, not RFC 5054's: M1 = H(A | B | S), M2 = H(A | M1 | K) with K = H(S),
every group element left-padded to the length of N. PyPI's SRP packages use the RFC proof
format, so they cannot talk to Ente clients.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

# GMP's modular powers are ~7x Python's at 4096 bits; the _sec one runs in constant time, for
# the server's secret exponent b.
from gmpy2 import powmod, powmod_sec


class SrpError(ValueError):
    """A client value that the protocol must refuse."""


@dataclass(frozen=True)
class SrpGroup:
    """A prime N and generator g; pad_bytes is the length every group element is padded to."""

    n: int
    g: int

    @property
    def pad_bytes(self) -> int:
        return (self.n.bit_length() + 7) // 8

    def pad(self, value: int) -> bytes:
        return value.to_bytes(self.pad_bytes, "big")


# RFC 5054 appendix A, the 4096-bit group (generator 5); the one every Ente client uses.
RFC5054_4096 = SrpGroup(
    n=int(
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879"
        "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B"
        "0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA4836"
        "1C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804"
        "F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6"
        "955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64"
        "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D226"
        "1AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2"
        "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A92108011A723C12A787E6D788719A10BDBA5B2699C32718"
        "6AF4E23C1A946834B6150BDA2583E9CA2AD44CE8DBBBC2DB04DE8EF92E8EFC141FBECAA6287C59474E6BC05D"
        "99B2964FA090C3A2233BA186515BE7ED1F612970CEE2D7AFB81BDD762170481CD0069127D5B05AA993B4EA98"
        "8D8FDDC186FFB7DC90A6C08F4DF435C934063199FFFFFFFFFFFFFFFF",
        16,
    ),
    g=5,
)
SRP_PAD_BYTES = RFC5054_4096.pad_bytes  # 512
PROOF_BYTES = 32  # SHA-256
SERVER_SECRET_BYTES = 32  # what museum (go-srp) draws for b


def _hash(*parts: bytes) -> bytes:
    return hashlib.sha256(b"".join(parts)).digest()


def _public_a(srp_a: bytes, group: SrpGroup) -> int:
    # The length check matters beyond hygiene: u and M1 hash the received bytes, which are only
    # PAD(A) when exactly pad_bytes long. A ≡ 0 would make S = 0 whatever the password.
    if len(srp_a) != group.pad_bytes:
        raise SrpError(f"srpA must be {group.pad_bytes} bytes")
    a = int.from_bytes(srp_a, "big")
    if a % group.n == 0 or a >= group.n:
        raise SrpError("srpA is not a valid group element")
    return a


def _verifier(verifier: bytes, group: SrpGroup) -> int:
    # v ≡ 0 would make S = 0 too, i.e. an account that any password opens.
    v = int.from_bytes(verifier, "big")
    if v % group.n == 0:
        raise SrpError("srpVerifier is not a valid group element")
    return v


def public_b(*, verifier: bytes, b_secret: bytes, group: SrpGroup = RFC5054_4096) -> bytes:
    """PAD(B) with B = k·v + g^b; recomputed at verification so only b needs storing."""
    k = int.from_bytes(_hash(group.pad(group.n), group.pad(group.g)), "big")
    v = _verifier(verifier, group)
    b = int.from_bytes(b_secret, "big")
    return group.pad((k * v + int(powmod_sec(group.g, b, group.n))) % group.n)


def server_challenge(
    *, verifier: bytes, srp_a: bytes, group: SrpGroup = RFC5054_4096
) -> tuple[bytes, bytes]:
    """Check the client's A and draw b; returns (b, PAD(B))."""
    _public_a(srp_a, group)
    b_secret = secrets.token_bytes(SERVER_SECRET_BYTES)
    return b_secret, public_b(verifier=verifier, b_secret=b_secret, group=group)


def verify_client_proof(
    *, verifier: bytes, srp_a: bytes, b_secret: bytes, m1: bytes, group: SrpGroup = RFC5054_4096
) -> bytes | None:
    """M2 if the client's M1 proves it knows the password behind the verifier, else None."""
    a = _public_a(srp_a, group)
    if len(m1) != PROOF_BYTES:
        raise SrpError(f"srpM1 must be {PROOF_BYTES} bytes")
    srp_b = public_b(verifier=verifier, b_secret=b_secret, group=group)
    u = int.from_bytes(_hash(srp_a, srp_b), "big")
    v = _verifier(verifier, group)
    s = int(
        powmod_sec(a * powmod(v, u, group.n) % group.n, int.from_bytes(b_secret, "big"), group.n)
    )
    padded_s = group.pad(s)
    # A is hashed exactly as received (museum does the same); it is PAD(A) by the length check.
    if not hmac.compare_digest(_hash(srp_a, srp_b, padded_s), m1):
        return None
    return _hash(srp_a, m1, _hash(padded_s))
