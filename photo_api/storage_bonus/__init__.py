"""Referrals and storage bonuses: none on this server, answered in museum's shapes."""
