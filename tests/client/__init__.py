"""A Python Ente client: the web app's cryptography and SRP, for tests and benchmarks."""
