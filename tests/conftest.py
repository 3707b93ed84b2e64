"""Shared fixtures: real databases, a real S3 server, real HTTP servers."""

from __future__ import annotations

import pytest

pytest_plugins = [
    "tests.fixtures.databases",
    "tests.fixtures.s3_server",
    "tests.fixtures.smtp",
    "tests.fixtures.app_server",
]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.fixtures.databases import missing_postgres_reason

    reason = missing_postgres_reason()
    if reason:
        terminalreporter.write_sep("!", "PostgreSQL runs SKIPPED", red=True, bold=True)
        terminalreporter.write_line(reason, red=True)
        terminalreporter.write_line("Set PHOTO_API_TEST_REQUIRE_POSTGRES=1 to make this a failure.")
