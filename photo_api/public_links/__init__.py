"""Public album links: the owner's settings, the link's visitors, their devices and uploads."""
