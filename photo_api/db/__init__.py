"""Database access: engine, per-request sessions, declarative base, migrations."""
