"""SRP client side as the Ente web client runs it (fast-srp-hap, node-srp style proofs).

Written apart from photo_api.auth.srp on purpose, so that each checks the other.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from gmpy2 import powmod


@dataclass(frozen=True)
class Group:
    n: int
    g: int
    size: int  # bytes every group element is padded to

    def pad(self, value: int) -> bytes:
        return bytes.fromhex(f"{value:0{2 * self.size}x}")


# RFC 5054 appendix A, 4096-bit group, generator 5 (fast-srp-hap `params[4096]`).
_N_4096_HEX = """
    FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 29024E08 8A67CC74 020BBEA6 3B139B22
    514A0879 8E3404DD EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 E485B576 625E7EC6
    F44C42E9 A637ED6B 0BFF5CB6 F406B7ED EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D
    C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F 83655D23 DCA3AD96 1C62F356 208552BB
    9ED52907 7096966D 670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B E39E772C 180E8603
    9B2783A2 EC07A28F B5C55DF0 6F4C52C9 DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510
    15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64 ECFB8504 58DBEF0A 8AEA7157 5D060C7D
    B3970F85 A6E1E4C7 ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B F12FFA06 D98A0864
    D8760273 3EC86A64 521F2B18 177B200C BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31
    43DB5BFC E0FD108E 4B82D120 A9210801 1A723C12 A787E6D7 88719A10 BDBA5B26 99C32718 6AF4E23C
    1A946834 B6150BDA 2583E9CA 2AD44CE8 DBBBC2DB 04DE8EF9 2E8EFC14 1FBECAA6 287C5947 4E6BC05D
    99B2964F A090C3A2 233BA186 515BE7ED 1F612970 CEE2D7AF B81BDD76 2170481C D0069127 D5B05AA9
    93B4EA98 8D8FDDC1 86FFB7DC 90A6C08F 4DF435C9 34063199 FFFFFFFF FFFFFFFF
"""
ENTE_GROUP = Group(n=int("".join(_N_4096_HEX.split()), 16), g=5, size=512)


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _num(data: bytes) -> int:
    return int(data.hex() or "0", 16)


def _x(srp_user_id: str, salt: bytes, login_subkey: bytes) -> int:
    # I is the srpUserID string's bytes, P the raw 16-byte login subkey (web `srp.ts`).
    inner = _sha256(srp_user_id.encode() + b":" + login_subkey)
    return _num(_sha256(salt + inner))


def make_verifier(
    srp_user_id: str, salt: bytes, login_subkey: bytes, *, group: Group = ENTE_GROUP
) -> bytes:
    """PAD(g^x): the srpVerifier the web sends (base64) to /users/srp/setup."""
    return group.pad(int(powmod(group.g, _x(srp_user_id, salt, login_subkey), group.n)))


class SrpClient:
    """One login attempt: send public_a, answer B with M1, then check the server's M2."""

    def __init__(
        self,
        srp_user_id: str,
        salt: bytes,
        login_subkey: bytes,
        *,
        group: Group = ENTE_GROUP,
        a_secret: bytes | None = None,
    ) -> None:
        self.group = group
        self._x = _x(srp_user_id, salt, login_subkey)
        self._a = _num(a_secret if a_secret is not None else secrets.token_bytes(64))
        self.public_a = group.pad(int(powmod(group.g, self._a, group.n)))
        self.m1: bytes | None = None
        self.session_key: bytes | None = None  # K = H(PAD(S))

    def process_challenge(self, srp_b: bytes) -> bytes:
        """M1 = H(PAD(A) | PAD(B) | PAD(S)) for the server's B."""
        grp = self.group
        b_num = _num(srp_b)
        if b_num % grp.n == 0:
            raise ValueError("server sent an invalid B")
        padded_b = grp.pad(b_num)
        k = _num(_sha256(grp.pad(grp.n) + grp.pad(grp.g)))
        u = _num(_sha256(self.public_a + padded_b))
        if u == 0:
            raise ValueError("u is zero")
        base = (b_num - k * int(powmod(grp.g, self._x, grp.n))) % grp.n
        padded_s = grp.pad(int(powmod(base, self._a + u * self._x, grp.n)))
        self.session_key = _sha256(padded_s)
        self.m1 = _sha256(self.public_a + padded_b + padded_s)
        return self.m1

    def verify_m2(self, m2: bytes) -> bool:
        """Whether the server proved it holds our verifier: M2 = H(PAD(A) | M1 | K)."""
        if self.m1 is None or self.session_key is None:
            raise RuntimeError("process_challenge first")
        return hmac.compare_digest(_sha256(self.public_a + self.m1 + self.session_key), m2)
