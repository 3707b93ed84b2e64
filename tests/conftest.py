"""Shared fixtures: real databases, a real S3 server, real HTTP servers."""

from __future__ import annotations

import re

import pytest

pytest_plugins = [
    "tests.fixtures.databases",
    "tests.fixtures.s3_server",
    "tests.fixtures.smtp",
    "tests.fixtures.app_server",
]

# Fixtures that start or reach more than a SQLite file and a local directory.
_BEYOND_QUICK = {"postgres_server", "s3_server", "outage_s3", "s3"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--quick",
        action="store_true",
        help="SQLite and local storage only, no slow tests: the edit-test loop (make test-fast)",
    )


def _beyond_quick(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    params = set(re.split(r"[-_]", callspec.id)) if callspec else set()
    return (
        item.get_closest_marker("slow") is not None
        or bool(params & {"postgres", "s3"})
        or bool(_BEYOND_QUICK & set(getattr(item, "fixturenames", ())))
    )


# The longest tests start first, so that parallel runs do not end waiting on one of them.
LONG_FIRST = ("tests/security/test_api_description.py", "tests/replication/", "tests/concurrency/")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(LONG_FIRST))
    if not config.getoption("quick"):
        return
    dropped = [item for item in items if _beyond_quick(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not _beyond_quick(item)]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.fixtures.databases import missing_postgres_reason

    reason = missing_postgres_reason()
    if reason:
        terminalreporter.write_sep("!", "PostgreSQL runs SKIPPED", red=True, bold=True)
        terminalreporter.write_line(reason, red=True)
        terminalreporter.write_line("Set PHOTO_API_TEST_REQUIRE_POSTGRES=1 to make this a failure.")
