"""Albums shared with other users: share, unshare, leave, sharees, sharee settings."""
