"""/storage: an account's usage, and for admins the storage tiers and replication lag."""
