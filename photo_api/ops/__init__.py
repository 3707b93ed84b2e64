"""Operational endpoints: liveness, health of dependencies, version."""
