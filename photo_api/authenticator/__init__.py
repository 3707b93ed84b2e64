"""Ente Auth: the key and the encrypted two-factor codes of the Auth app."""
