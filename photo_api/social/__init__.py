"""Comments and reactions in shared albums and on public album links."""
