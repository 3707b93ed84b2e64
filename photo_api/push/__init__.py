"""Push tokens of the mobile app's devices: stored, never used (no push is sent)."""
