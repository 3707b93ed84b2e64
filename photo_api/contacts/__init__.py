"""Contacts: encrypted cards about other Ente accounts, with profile pictures in storage."""
