"""Accounts: users, key attributes, plan, usage, details, settings, deletion."""
