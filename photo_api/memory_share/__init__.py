"""Memory links: an owner's read-only, seven-day public link to a list of files."""
