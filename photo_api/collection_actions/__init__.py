"""Collection actions: what album admins asked of a file's owner (remove, delete)."""
