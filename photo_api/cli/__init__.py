"""The photo-api command."""
