"""Signing up and logging in: email codes, SRP, two-factor, sessions."""
