"""Who is calling: apps, tokens, JWTs, rate limits and the auth dependencies."""
