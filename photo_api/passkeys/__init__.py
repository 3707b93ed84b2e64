"""Passkeys: WebAuthn credentials as a second factor, managed from the accounts app."""
