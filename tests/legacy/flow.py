"""The Legacy steps as the mobile app takes them, and the test's hands on time and mail."""

from __future__ import annotations

import base64
import secrets
import time
import uuid
from email.message import Message
from typing import Any

import httpx
from sqlalchemy import update

from photo_api.clock import MICROS_PER_DAY, now_us
from photo_api.models import EmergencyRecovery
from tests.client import crypto
from tests.client.srp import SrpClient, make_verifier
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import SHARED_KEK_SALT, Account, EnteClient
from tests.fixtures.smtp import Mailbox


def add_contact(owner: Account, contact: Account, **extra: Any) -> httpx.Response:
    """The owner seals their recovery key to the contact's public key, looked up by e-mail."""
    found = owner.client.get("/users/public-key", params={"email": contact.email})
    assert found.status_code == 200, found.text
    keys = owner.client.keys
    assert keys is not None
    sealed = crypto.seal(keys.recovery_key, base64.b64decode(found.json()["publicKey"]))
    return owner.client.post(
        "/emergency-contacts/add",
        json={"email": f"  {contact.email.upper()} ", "encryptedKey": sealed, **extra},
    )


def info(client: EnteClient) -> dict[str, Any]:
    response = client.get("/emergency-contacts/info")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def set_state(account: Account, *, owner: Account, contact: Account, state: str) -> httpx.Response:
    return account.client.post(
        "/emergency-contacts/update",
        json={
            "userID": owner.client.user_id,
            "emergencyContactID": contact.client.user_id,
            "state": state,
        },
    )


def pair(owner: Account, contact: Account, **extra: Any) -> dict[str, Any]:
    return {"userID": owner.client.user_id, "emergencyContactID": contact.client.user_id, **extra}


def start(owner: Account, contact: Account) -> str:
    """The contact starts a recovery; its id, as the app finds it in /info."""
    response = contact.client.post("/emergency-contacts/start-recovery", json=pair(owner, contact))
    assert response.status_code == 200, response.text
    sessions = info(contact.client)["othersRecoverySession"]
    (session,) = [s for s in sessions if s["user"]["email"] == owner.email]
    return str(session["id"])


def age(server: RunningServer, recovery_id: str, *, days: float) -> None:
    """Move a recovery `days` into its past: its notice and its reminders come that much closer."""
    shift = int(days * MICROS_PER_DAY)
    with server.app.state.db.session() as session:
        session.execute(
            update(EmergencyRecovery)
            .where(EmergencyRecovery.id == recovery_id)
            .values(
                wait_till=EmergencyRecovery.wait_till - shift,
                next_reminder_at=EmergencyRecovery.next_reminder_at - shift,
                created_at=EmergencyRecovery.created_at - shift,
            )
        )
        session.commit()


def recovery_row(server: RunningServer, recovery_id: str) -> EmergencyRecovery:
    with server.app.state.db.session(write=False) as session:
        row = session.get(EmergencyRecovery, recovery_id)
        assert row is not None
        return row


def days_from_now(when: int) -> float:
    return (when - now_us()) / MICROS_PER_DAY


def mail(mailbox: Mailbox, *, to: str, subject: str, after: int, timeout: float = 10) -> Message:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with mailbox.lock:
            for message in mailbox.messages[after:]:
                if message["To"] == to and message["Subject"] == subject:
                    return message
        time.sleep(0.02)
    raise AssertionError(f"no mail {subject!r} to {to} within {timeout}s")


def subjects(mailbox: Mailbox, *, to: str, after: int) -> list[str]:
    with mailbox.lock:
        return [str(m["Subject"]) for m in mailbox.messages[after:] if m["To"] == to]


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def owners_master_key(contact: Account, recovery_id: str) -> tuple[bytes, dict[str, Any]]:
    """What the contact's app does with the recovery material: open the sealed recovery key
    with its own key pair, then the owner's master key with the recovery key."""
    response = contact.client.get(f"/emergency-contacts/recovery-info/{recovery_id}")
    assert response.status_code == 200, response.text
    material = response.json()
    keys = contact.client.keys
    assert keys is not None
    recovery_key = crypto.open_sealed(material["encryptedKey"], keys.public_key, keys.secret_key)
    attrs = material["userKeyAttr"]
    master_key = crypto.secretbox_decrypt(
        attrs["masterKeyEncryptedWithRecoveryKey"], attrs["masterKeyDecryptionNonce"], recovery_key
    )
    return master_key, attrs


def new_password_request(master_key: bytes, password: str) -> tuple[dict[str, Any], SrpClient]:
    """The master key under a new password, and a new SRP identity for it (as the app; the
    KEK salt is the fixtures' shared one, so that a password is derived once)."""
    kek_salt = SHARED_KEK_SALT
    kek = crypto.derive_kek(password, kek_salt, crypto.TEST_OPS_LIMIT, crypto.TEST_MEM_LIMIT)
    boxed = crypto.secretbox_encrypt(master_key, kek)
    key_attrs = {
        "kekSalt": crypto.b64(kek_salt),
        "encryptedKey": boxed.encrypted_data,
        "keyDecryptionNonce": boxed.nonce,
        "memLimit": crypto.TEST_MEM_LIMIT,
        "opsLimit": crypto.TEST_OPS_LIMIT,
    }
    srp_user_id, salt = str(uuid.uuid4()), secrets.token_bytes(16)
    login_key = crypto.derive_login_subkey(kek)
    srp = SrpClient(srp_user_id, salt, login_key)
    setup = {
        "srpUserID": srp_user_id,
        "srpSalt": crypto.b64(salt),
        "srpVerifier": crypto.b64(make_verifier(srp_user_id, salt, login_key)),
        "srpA": crypto.b64(srp.public_a),
        "isUpdate": False,
    }
    return {"setupSRPRequest": setup, "updatedKeyAttr": key_attrs}, srp


def init_change(contact: Account, recovery_id: str, setup: dict[str, Any]) -> httpx.Response:
    return contact.client.post(
        "/emergency-contacts/init-change-password",
        json={"recoveryID": recovery_id, "setupSRPRequest": setup},
    )


def change(
    contact: Account, recovery_id: str, *, setup_id: str, m1: bytes, key_attrs: dict[str, Any]
) -> httpx.Response:
    return contact.client.post(
        "/emergency-contacts/change-password",
        json={
            "recoveryID": recovery_id,
            "updateSrpAndKeysRequest": {
                "setupID": setup_id,
                "srpM1": crypto.b64(m1),
                "updatedKeyAttr": key_attrs,
            },
        },
    )
