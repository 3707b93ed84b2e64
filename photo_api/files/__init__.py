"""Files: upload URLs, committing uploads, updates, metadata, downloads, quota."""
