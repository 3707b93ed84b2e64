"""Install attribution events of the mobile app: checked and acknowledged, not kept."""
