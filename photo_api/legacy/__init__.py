"""Legacy: trusted contacts who can recover an account after a notice period."""
