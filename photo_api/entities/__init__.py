"""User entities: per-type keys and encrypted records (locations, people, smart albums …)."""
