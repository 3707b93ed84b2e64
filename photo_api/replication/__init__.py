"""Replication: every committed object copied to every backend, verified by SHA-256."""
