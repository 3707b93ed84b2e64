"""Photo API: a self-hostable server that speaks the Ente photos API."""

__version__ = "0.1.0"
